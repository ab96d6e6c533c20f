namespace MediaGen.Routing;

/// <summary>The router is waiting for a vendor that rate limited a submit, before trying it again (<see cref="RouterOptions.OnRateLimitWait"/>).</summary>
/// <param name="Provider">The vendor's provider name (<c>meigen</c>).</param>
/// <param name="DisplayName">The vendor's display name (<c>MeiGen</c>).</param>
/// <param name="Delay">How long the router waits before the retry.</param>
/// <param name="IdempotencyKey">The logical request's key (the retry carries it).</param>
public sealed record RateLimitWait(string Provider, string DisplayName, TimeSpan Delay, string IdempotencyKey)
{
    /// <summary>The wait as a line for people: <c>MeiGen is rate limiting; retrying in 15 s</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{DisplayName} is rate limiting; retrying in {Math.Ceiling(Delay.TotalSeconds):0} s";
}
