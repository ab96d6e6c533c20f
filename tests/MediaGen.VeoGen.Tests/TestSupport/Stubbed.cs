using MediaGen.Testing;

namespace MediaGen.VeoGen.Tests.TestSupport;

/// <summary>A provider over a <see cref="StubHttpHandler"/> (no network), with a fixed clock.</summary>
internal static class Stubbed
{
    public static readonly DateTimeOffset Now = new(2025, 1, 15, 10, 30, 0, TimeSpan.Zero);

    public static IMediaGenerator Create(StubHttpHandler handler, Action<VeoGenOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new VeoGenOptions { ApiKey = "sk-secret-token", UseLiveCatalog = false };
        configure?.Invoke(options);
        return VeoGenProvider.Create(options, new HttpClient(handler), time ?? new MediaGen.Testing.FakeClock(Now));
    }
}
