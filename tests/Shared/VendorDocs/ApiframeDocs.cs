namespace MediaGen.VendorDocs;

/// <summary>
/// Apiframe's documented bodies, quoted exactly (shared/vendor-docs/jobs-api-image-generation.txt), plus the job shapes
/// reference/provider-apis.md §3.5 gives where the vendor page shows only a field list. One copy for every test project:
/// linked from tests/Shared/VendorDocs.
/// </summary>
internal static class ApiframeDocs
{
    /// <summary>Quoted from jobs-api-image-generation.txt, <c>POST /v2/images/generate</c> → 202 Accepted.</summary>
    public const string Accepted = """
        {
        "jobId": "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
        "status": "QUEUED"
        }
        """;

    /// <summary>
    /// Apiframe's error answer. The statuses and error texts are quoted from jobs-api-image-generation.txt's error table
    /// (400 Validation error, 401 Unauthorized, 402 Insufficient credits, 503 Service unavailable); the envelope's field
    /// names are not documented (reference/provider-apis.md §3.7), so the emulator's <c>{"error": …}</c> is used.
    /// </summary>
    public static string Error(string error) => $$"""{"error": "{{error}}"}""";

    /// <summary>
    /// <c>GET /v2/jobs/:id</c>, completed, in the field list of reference/provider-apis.md §3.5 with the A3 string
    /// <c>result</c> ("https://cdn.apiframe.ai/results/a1b2c3d4.png").
    /// </summary>
    public const string JobCompletedUrl = """
        {"id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "status": "COMPLETED", "model": "nano-banana-2", "progress": 100,
         "result": "https://cdn.apiframe.ai/results/a1b2c3d4.png", "error": null, "creditCost": 4, "webhookStatus": null,
         "createdAt": "2026-03-02T09:00:00Z", "completedAt": "2026-03-02T09:00:20Z"}
        """;

    /// <summary>The same job with the B1 (newer) result object by modality: <c>{"images": [...]}</c>.</summary>
    public const string JobCompletedImages = """
        {"id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "status": "COMPLETED", "model": "nano-banana-2", "progress": 100,
         "result": {"images": ["https://cdn.apiframe.ai/results/a1b2c3d4.png"]}, "error": null, "creditCost": 4,
         "webhookStatus": "sent", "createdAt": "2026-03-02T09:00:00Z", "completedAt": "2026-03-02T09:00:20Z"}
        """;

    /// <summary>Processing, progress 45 (the progress webhook's example value).</summary>
    public const string JobProcessing = """
        {"id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "status": "PROCESSING", "model": "nano-banana-2", "progress": 45,
         "result": null, "error": null, "creditCost": 4, "webhookStatus": null, "createdAt": "2026-03-02T09:00:00Z", "completedAt": null}
        """;

    /// <summary>Failed: the §3.5 failed example's <c>"creditCost": 0</c> and error text.</summary>
    public const string JobFailed = """
        {"id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "status": "FAILED", "model": "nano-banana-2", "progress": 0,
         "result": null, "error": "Provider returned an error: content policy violation", "creditCost": 0,
         "webhookStatus": null, "createdAt": "2026-03-02T09:00:00Z", "completedAt": "2026-03-02T09:00:20Z"}
        """;
}
