namespace MediaGen.Routing;

/// <summary>How the router orders the vendors that can serve a request.</summary>
public enum RoutingStrategy
{
    /// <summary>The configured (or per-request) preference order; unlisted vendors after, in registration order.</summary>
    Ordered,

    /// <summary>Cheapest in USD first; vendors whose price or credit rate is unknown last.</summary>
    Cheapest,

    /// <summary>Shortest typical generation time first.</summary>
    Fastest,

    /// <summary>The <see cref="RouterOptions.CustomOrder"/> delegate decides.</summary>
    Custom,
}
