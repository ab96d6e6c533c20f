using MediaGen.Testing;

namespace MediaGen.Replicate.Tests.TestSupport;

/// <summary>A provider over a <see cref="StubHttpHandler"/> (no network), with a fake clock.</summary>
internal static class Stubbed
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    public const string Token = "r8_secret_token_for_tests_0000000000000000";

    public static IMediaGenerator Create(StubHttpHandler handler, Action<ReplicateOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new ReplicateOptions { ApiKey = Token };
        configure?.Invoke(options);
        return ReplicateProvider.Create(options, new HttpClient(handler), time ?? new FakeClock(Now));
    }

    public static HttpResponseMessage Json(int status, string json) => StubHttpHandler.Json(status, json);
}
