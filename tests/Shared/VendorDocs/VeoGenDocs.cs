namespace MediaGen.VendorDocs;

/// <summary>
/// VeoGen's documented bodies, quoted exactly (shared/vendor-docs/veogen-create-generation.txt; reference/provider-apis.md
/// §2). One copy for every test project: linked from tests/Shared/VendorDocs.
/// </summary>
internal static class VeoGenDocs
{
    /// <summary>Quoted from veogen-create-generation.txt, Response 201 Created (the schema example).</summary>
    public const string CreatedSchemaExample = """
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

    public const string InsufficientBalance = """
        {
          "error": "Insufficient balance.",
          "message": "This generation costs $0.30. Your balance is $0.05.",
          "required": 0.30,
          "balance": 0.05
        }
        """;

    public const string ValidationError = """
        {
          "message": "The model field is required.",
          "errors": {
            "model": ["The model field is required."]
          }
        }
        """;

    public const string ModelNotFound = """{"error": "Model not found."}""";

    /// <summary>The curl example's request body.</summary>
    public const string ExampleRequest = """
        {
            "model": "gpt-4o-image",
            "prompt": "A serene mountain landscape at sunset, photorealistic",
            "aspect_ratio": "16:9"
          }
        """;

    public const string VeoModel = """
        {"data":{"slug":"veo-3.1-fast","label":"Veo 3.1 Fast","type":"video","price_usd":0.30,
         "multiply_by_duration":false,"resolution_multipliers":{"720p":1,"1080p":1,"4k":3},
         "supported_params":["prompt","duration","aspect_ratio","resolution","image_urls","mode"],
         "aspect_ratios":["16:9","9:16"],"resolutions":["720p","1080p","4k"],"durations":[8],
         "modes":["frame","ingredient"],"docs_url":"https://veogen.studio/api-reference/models/veo-3.1-fast"}}
        """;

    public const string Account = """{"data":{"name":"Ada","email":"ada@example.com","usd_balance":42.5000,"usd_spent":12.3000}}""";

    public const string Balance = """{"remaining_balance": 42.5000, "used_balance": 12.3000}""";

    public const string JobId = "01928abc-def0-7123-b456-789012345678";

    /// <summary>A generation object in the documented shape (provider-apis.md §2.4).</summary>
    public static string Generation(
        string status = "pending",
        string output = "null",
        string error = "null",
        string completedAt = "null",
        string id = JobId,
        string model = "veo-3.1-fast",
        string type = "video",
        string prompt = "A cat",
        string createdAt = "\"2025-01-15T10:30:00+00:00\"") => $$"""
        { "id": "{{id}}", "status": "{{status}}", "model": "{{model}}",
          "type": "{{type}}", "prompt": "{{prompt}}", "parameters": {"aspect_ratio":"16:9","resolution":"1080p"},
          "output": {{output}},
          "error": {{error}}, "created_at": {{createdAt}}, "completed_at": {{completedAt}} }
        """;

    public const string VideoOutput = """{"url": "https://veogen.studio/storage/videos/01928abc.mp4", "download_url": "https://veogen.studio/storage/videos/01928abc.mp4?download=1", "content_type": "video/mp4"}""";

    public static string Created(string generation, string price = "0.30") => $$"""{"data": {{generation}}, "price_usd": {{price}}}""";

    public static string Data(string generation) => $$"""{"data": {{generation}}}""";

    /// <summary>The §2.4 generation object as a 201 answer: pending, price 0.30.</summary>
    public static string CreatedPending { get; } = Created(Generation());

    /// <summary>The §2.4 generation object, completed with the documented example output.</summary>
    public const string CompletedData = """
        {"data": { "id": "01928abc-def0-7123-b456-789012345678", "status": "completed", "model": "veo-3.1-fast",
          "type": "video", "prompt": "A cat", "parameters": {"aspect_ratio":"16:9","resolution":"1080p"},
          "output": {"url": "https://veogen.studio/storage/videos/01928abc.mp4",
                    "download_url": "https://veogen.studio/storage/videos/01928abc.mp4?download=1", "content_type": "video/mp4"},
          "error": null, "created_at": "2025-01-15T10:30:00+00:00", "completed_at": "2025-01-15T10:31:10+00:00" }}
        """;

    /// <summary>The §2.4 generation object, failed ("check error field. You were not charged.").</summary>
    public const string FailedData = """
        {"data": { "id": "01928abc-def0-7123-b456-789012345678", "status": "failed", "model": "veo-3.1-fast",
          "type": "video", "prompt": "A cat", "parameters": {},
          "output": null,
          "error": "Content policy violation", "created_at": "2025-01-15T10:30:00+00:00", "completed_at": null }}
        """;
}
