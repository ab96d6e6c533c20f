namespace MediaGen.Reliability.Tests.Mutations;

/// <summary>
/// The vendors' documented responses, quoted exactly (indentation included) from <c>shared/vendor-docs/</c>, plus the
/// shapes the provider docs pages and <c>reference/provider-apis.md</c> give where the vendor page shows only a schema.
/// They are the seeds the mutation tests start from.
/// </summary>
public static class DocumentedResponses
{
    /// <summary>Quoted from meigen-generate-v2.rev1.txt, POST /api/generate/v2 response.</summary>
    public const string MeiGenSubmitAccepted = """
        {
          "success": true,
          "generationId": "550e8400-e29b-41d4-a716-446655440000",
          "status": "processing",
          "creditsUsed": 5,
          "modelId": "nanobanana-2",
          "credits": {
            "daily": 10,
            "purchased": 50,
            "unlimited": false
          }
        }
        """;

    /// <summary>Quoted from meigen-generate-v2.rev1.txt, Response (Processing).</summary>
    public const string MeiGenStatusProcessing = """
        {
          "jobId": "550e8400-e29b-41d4-a716-446655440000",
          "status": "processing",
          "imageUrl": null,
          "imageUrls": null,
          "videoUrl": null,
          "mediaType": "image",
          "r2Key": null,
          "error": null
        }
        """;

    /// <summary>Quoted from meigen-generate-v2.rev1.txt, Response (Image Completed).</summary>
    public const string MeiGenStatusImageCompleted = """
        {
          "jobId": "550e8400-e29b-41d4-a716-446655440000",
          "status": "completed",
          "imageUrl": "https://images.meigen.art/generations/xxx.png",
          "imageUrls": ["https://images.meigen.art/generations/xxx.png"],
          "videoUrl": null,
          "mediaType": "image",
          "r2Key": "generations/xxx.png",
          "error": null,
          "aspectRatio": "16:9"
        }
        """;

    /// <summary>Quoted from meigen-generate-v2.rev1.txt, Response (Video Completed).</summary>
    public const string MeiGenStatusVideoCompleted = """
        {
          "jobId": "550e8400-e29b-41d4-a716-446655440000",
          "status": "completed",
          "imageUrl": null,
          "imageUrls": null,
          "videoUrl": "https://images.meigen.art/generations/xxx.mp4",
          "mediaType": "video",
          "r2Key": "generations/xxx.mp4",
          "error": null,
          "aspectRatio": "16:9"
        }
        """;

    /// <summary>Quoted from meigen-generate-v2.rev1.txt, Response (Failed).</summary>
    public const string MeiGenStatusFailed = """
        {
          "jobId": "550e8400-e29b-41d4-a716-446655440000",
          "status": "failed",
          "imageUrl": null,
          "imageUrls": null,
          "videoUrl": null,
          "mediaType": "image",
          "r2Key": null,
          "error": "Content policy violation"
        }
        """;

    /// <summary>Quoted from meigen-overview.txt, Response Format.</summary>
    public const string MeiGenOverviewSuccess = """
        {
          "success": true,
          "generationId": "abc-123",
          "status": "processing"
        }
        """;

    /// <summary>Quoted from meigen-overview.txt, Error responses.</summary>
    public const string MeiGenOverviewError = """
        {
          "error": "Error description"
        }
        """;

    /// <summary>Quoted from veogen-create-generation.txt, Response 201 Created (the schema example).</summary>
    public const string VeoGenCreated = """
        {
          "data": {
            "id": "<string>",
            "status": "<string>",
            "model": "<string>",
            "type": "<string>",
            "prompt": "<string>",
            "parameters": {},
            "output": {},
            "error": {},
            "created_at": "<string>",
            "completed_at": {}
          },
          "price_usd": 123
        }
        """;

    /// <summary>Quoted from veogen-create-generation.txt, 402 Insufficient Balance.</summary>
    public const string VeoGenInsufficientBalance = """
        {
          "error": "Insufficient balance.",
          "message": "This generation costs $0.30. Your balance is $0.05.",
          "required": 0.30,
          "balance": 0.05
        }
        """;

    /// <summary>Quoted from veogen-create-generation.txt, 422 Validation Error.</summary>
    public const string VeoGenValidationError = """
        {
          "message": "The model field is required.",
          "errors": {
            "model": ["The model field is required."]
          }
        }
        """;

    /// <summary>
    /// MeiGen's recovery miss, <c>GET /api/generate/v2/requests/{key}</c> → 404, quoted from reference/provider-apis.md §1
    /// (docs/providers/meigen.md: 404 <c>request_not_found</c>).
    /// </summary>
    public const string MeiGenRequestNotFound = """{"success": false, "code": "request_not_found"}""";

    /// <summary>
    /// A VeoGen generation object in the shape reference/provider-apis.md §2.4 documents, its alternatives resolved to
    /// the documented example values (pending; completed with the example output).
    /// </summary>
    public const string VeoGenGenerationPending = """
        {"data": { "id": "01928abc-def0-7123-b456-789012345678", "status": "pending", "model": "veo-3.1-fast",
          "type": "video", "prompt": "A cat", "parameters": {"aspect_ratio":"16:9","resolution":"1080p"},
          "output": null,
          "error": null, "created_at": "2025-01-15T10:30:00+00:00", "completed_at": null }, "price_usd": 0.30}
        """;

    /// <summary>The §2.4 generation object, completed with the documented example output.</summary>
    public const string VeoGenGenerationCompleted = """
        {"data": { "id": "01928abc-def0-7123-b456-789012345678", "status": "completed", "model": "veo-3.1-fast",
          "type": "video", "prompt": "A cat", "parameters": {"aspect_ratio":"16:9","resolution":"1080p"},
          "output": {"url": "https://veogen.studio/storage/videos/01928abc.mp4",
                    "download_url": "https://veogen.studio/storage/videos/01928abc.mp4?download=1", "content_type": "video/mp4"},
          "error": null, "created_at": "2025-01-15T10:30:00+00:00", "completed_at": "2025-01-15T10:31:10+00:00" }}
        """;

    /// <summary>The §2.4 generation object, failed ("check error field. You were not charged.").</summary>
    public const string VeoGenGenerationFailed = """
        {"data": { "id": "01928abc-def0-7123-b456-789012345678", "status": "failed", "model": "veo-3.1-fast",
          "type": "video", "prompt": "A cat", "parameters": {},
          "output": null,
          "error": "Content policy violation", "created_at": "2025-01-15T10:30:00+00:00", "completed_at": null }}
        """;

    /// <summary>VeoGen's 404, quoted from reference/provider-apis.md §2 (<c>{"error": "Model not found."}</c>).</summary>
    public const string VeoGenNotFound = """{"error": "Model not found."}""";

    /// <summary>Quoted from jobs-api-image-generation.txt, <c>POST /v2/images/generate</c> → 202 Accepted.</summary>
    public const string ApiframeAccepted = """
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
    public static string ApiframeError(string error) => $$"""{"error": "{{error}}"}""";

    /// <summary>
    /// <c>GET /v2/jobs/:id</c>, completed, in the field list of reference/provider-apis.md §3.5 with the A3 string
    /// <c>result</c> ("https://cdn.apiframe.ai/results/a1b2c3d4.png").
    /// </summary>
    public const string ApiframeJobCompletedUrl = """
        {"id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "status": "COMPLETED", "model": "nano-banana-2", "progress": 100,
         "result": "https://cdn.apiframe.ai/results/a1b2c3d4.png", "error": null, "creditCost": 4, "webhookStatus": null,
         "createdAt": "2026-03-02T09:00:00Z", "completedAt": "2026-03-02T09:00:20Z"}
        """;

    /// <summary>The same job with the B1 (newer) result object by modality: <c>{"images": [...]}</c>.</summary>
    public const string ApiframeJobCompletedImages = """
        {"id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "status": "COMPLETED", "model": "nano-banana-2", "progress": 100,
         "result": {"images": ["https://cdn.apiframe.ai/results/a1b2c3d4.png"]}, "error": null, "creditCost": 4,
         "webhookStatus": "sent", "createdAt": "2026-03-02T09:00:00Z", "completedAt": "2026-03-02T09:00:20Z"}
        """;

    /// <summary>Processing, progress 45 (the progress webhook's example value).</summary>
    public const string ApiframeJobProcessing = """
        {"id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "status": "PROCESSING", "model": "nano-banana-2", "progress": 45,
         "result": null, "error": null, "creditCost": 4, "webhookStatus": null, "createdAt": "2026-03-02T09:00:00Z", "completedAt": null}
        """;

    /// <summary>Failed: the §3.5 failed example's <c>"creditCost": 0</c> and error text.</summary>
    public const string ApiframeJobFailed = """
        {"id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "status": "FAILED", "model": "nano-banana-2", "progress": 0,
         "result": null, "error": "Provider returned an error: content policy violation", "creditCost": 0,
         "webhookStatus": null, "createdAt": "2026-03-02T09:00:00Z", "completedAt": "2026-03-02T09:00:20Z"}
        """;
}
