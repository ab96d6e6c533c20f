namespace MediaGen.VendorDocs;

/// <summary>
/// MeiGen's documented JSON, quoted exactly, indentation included (shared/vendor-docs/meigen-generate-v2.rev1.txt and
/// meigen-overview.txt). One copy for every test project: linked from tests/Shared/VendorDocs.
/// </summary>
internal static class MeiGenDocs
{
    public const string JobId = "550e8400-e29b-41d4-a716-446655440000";

    public const string SubmitResponse = """
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

    public const string StatusProcessing = """
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

    public const string StatusImageCompleted = """
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

    public const string StatusVideoCompleted = """
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

    public const string StatusFailed = """
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
    public const string OverviewSuccess = """
        {
          "success": true,
          "generationId": "abc-123",
          "status": "processing"
        }
        """;

    /// <summary>The overview's error envelope.</summary>
    public const string ErrorEnvelope = """
        {
          "error": "Error description"
        }
        """;

    /// <summary>
    /// The recovery route's genuine miss, <c>GET /api/generate/v2/requests/{key}</c> → 404 (MeiGen's own client,
    /// reference/provider-apis.md §1.5; docs/providers/meigen.md).
    /// </summary>
    public const string RequestNotFound = """{"success": false, "code": "request_not_found"}""";

    public const string BasicGenerationCurl = """
        {
            "prompt": "A minimalist logo of a mountain, vector style, blue gradient",
            "modelId": "nanobanana-2",
            "aspectRatio": "1:1"
          }
        """;

    public const string ReferenceImageCurl = """
        {
            "prompt": "Similar style landscape but with autumn colors",
            "modelId": "seedream-5.0-lite",
            "aspectRatio": "16:9",
            "referenceImages": ["https://example.com/reference.jpg"]
          }
        """;

    public const string Niji7Curl = """
        {
            "prompt": "a warrior princess in an enchanted forest",
            "modelId": "midjourney-niji7",
            "aspectRatio": "3:4",
            "referenceImages": ["https://example.com/style-ref.jpg"],
            "referenceType": "style",
            "niji7Options": {
              "stylize": 300,
              "sw": 500,
              "sv": 4
            }
          }
        """;

    public const string SeedanceCurl = """
        {
            "prompt": "A majestic eagle soaring over a misty mountain valley at sunrise, cinematic camera movement",
            "modelId": "seedance-2-0",
            "aspectRatio": "16:9",
            "resolution": "720p",
            "duration": 5
          }
        """;

    public const string ContinuationCurl = """
        {
            "prompt": "Continue the scene as the eagle dives toward a river below",
            "modelId": "seedance-2-0",
            "aspectRatio": "adaptive",
            "resolution": "480p",
            "duration": 5,
            "referenceVideo": "https://images.meigen.art/generations/eagle-clip.mp4",
            "referenceVideoDuration": 3
          }
        """;

    public const string AutoRatioCurl = """
        {
            "prompt": "Blog hero banner image, abstract gradient background with code snippets",
            "modelId": "nanobanana-2"
          }
        """;

    public const string OverviewCurl = """{"prompt": "a minimalist logo", "modelId": "gemini-3-pro-image-preview"}""";
}
