namespace MediaGen.Apiframe;

/// <summary>The account behind the API key, from <c>GET /v2/me</c>: the team's credits and concurrency cap.</summary>
public sealed record ApiframeAccount
{
    /// <summary>Gets the team's credit balance, when reported.</summary>
    public Money? Credits { get; init; }

    /// <summary>Gets how many jobs the team may run at once, when reported.</summary>
    public int? MaxConcurrentJobs { get; init; }

    /// <summary>Gets the team's plan (<c>free</c>, <c>pro</c>, <c>business</c>, …).</summary>
    public string? Plan { get; init; }

    /// <summary>Gets the team id.</summary>
    public string? TeamId { get; init; }

    /// <summary>Gets the team name.</summary>
    public string? TeamName { get; init; }

    /// <summary>Gets the user id.</summary>
    public string? UserId { get; init; }

    /// <summary>Gets the user's role (<c>ADMIN</c> or <c>MEMBER</c>).</summary>
    public string? Role { get; init; }

    /// <summary>Gets the API key's display name (never the key).</summary>
    public string? ApiKeyName { get; init; }
}
