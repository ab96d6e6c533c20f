namespace MediaGen.VendorDocs;

/// <summary>
/// Replicate's documented bodies (shared/vendor-docs/replicate-http-api.md). The error bodies are quoted exactly (§1.8);
/// the prediction objects are composed from the field table of §1.4 (R0 <c>schemas_prediction_response</c>: the example id
/// <c>gm3qorzdhgbfurvjtvhg6dckhu</c>, <c>version</c> <c>"hidden"</c> for official models, <c>urls.get/cancel/web</c>,
/// <c>replicate.delivery</c> outputs, D5), because the doc lists the fields rather than printing a whole example.
/// </summary>
internal static class ReplicateDocs
{
    public const string PredictionId = "gm3qorzdhgbfurvjtvhg6dckhu";

    /// <summary>§1.8, maintainer reply in replicate-python#47.</summary>
    public const string Unauthenticated = """{"title":"Unauthenticated","detail":"You did not pass an authentication token","status":401}""";

    /// <summary>§1.8, same reply; also what a create answers until a payment method is added.</summary>
    public const string InvalidVersion = """{"title":"Invalid version or not permitted","detail":"The specified version does not exist (or perhaps you don't have permission to use it?)","status":422}""";

    /// <summary>§1.8 (D3).</summary>
    public const string Throttled = """{"detail":"Request was throttled. Your rate limit resets in ~30s."}""";

    /// <summary>§1.8, the 2026 report in nodetool#5196 (the "…" is the doc's).</summary>
    public const string ThrottledLowCredit = """{"detail":"Request was throttled. Your rate limit for creating predictions is reduced to 6 requests per minute with a burst of 1 requests while you have less than $5.0 in credit. …","status":429,"retry_after":5}""";

    /// <summary>A prediction object with every field of §1.4.</summary>
    public static string Prediction(
        string status,
        string output = "null",
        string model = "google/nano-banana-pro",
        string id = PredictionId,
        string input = """{"prompt":"a lighthouse at dusk"}""",
        string error = "null",
        string createdAt = "2026-11-21T09:00:00.000Z",
        string completedAt = "null",
        bool dataRemoved = false) => $$"""
        {
          "id": "{{id}}",
          "model": "{{model}}",
          "version": "hidden",
          "input": {{input}},
          "output": {{output}},
          "logs": null,
          "error": {{error}},
          "status": "{{status}}",
          "created_at": "{{createdAt}}",
          "started_at": null,
          "completed_at": {{completedAt}},
          "urls": {
            "get": "https://api.replicate.com/v1/predictions/{{id}}",
            "cancel": "https://api.replicate.com/v1/predictions/{{id}}/cancel",
            "web": "https://replicate.com/p/{{id}}"
          },
          "metrics": {},
          "data_removed": {{(dataRemoved ? "true" : "false")}},
          "source": "api",
          "deadline": null
        }
        """;

    /// <summary><c>GET /v1/predictions</c>: <c>{"next", "previous", "results"}</c> (§1.6).</summary>
    public static string List(string? next, params string[] results) =>
        $$"""{"next": {{(next is null ? "null" : $"\"{next}\"")}}, "previous": null, "results": [{{string.Join(",", results)}}]}""";
}
