namespace MediaGen.Apiframe;

/// <summary>Filters for <c>GET /v2/jobs</c> (A4). Every property is optional.</summary>
public sealed class ApiframeJobQuery
{
    /// <summary>Gets or sets the status to list (<c>QUEUED</c>, <c>PROCESSING</c>, <c>COMPLETED</c>, <c>FAILED</c>).</summary>
    public string? Status { get; set; }

    /// <summary>Gets or sets the model id to list.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the page size, 1–100.</summary>
    /// <value>The vendor default is 20.</value>
    public int? Limit { get; set; }

    /// <summary>Gets or sets the cursor of the page to read (the previous page's <see cref="ApiframeJobPage.NextCursor"/>).</summary>
    public string? Cursor { get; set; }

    /// <summary>Gets or sets the scope: <c>user</c> (the vendor default) or <c>team</c>.</summary>
    public string? Scope { get; set; }

    /// <summary>Gets or sets a job id to search for.</summary>
    public string? Search { get; set; }
}

/// <summary>One page of <c>GET /v2/jobs</c>.</summary>
/// <param name="Jobs">The jobs on the page.</param>
/// <param name="NextCursor">The cursor of the next page, when there is one.</param>
/// <param name="HasMore">Whether more pages follow.</param>
public sealed record ApiframeJobPage(IReadOnlyList<GenerationJob> Jobs, string? NextCursor, bool HasMore);
