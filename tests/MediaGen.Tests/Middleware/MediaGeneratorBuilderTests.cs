using MediaGen.Routing;
using MediaGen.Telemetry;
using MediaGen.Testing;

namespace MediaGen.Tests.Middleware;

public class MediaGeneratorBuilderTests
{
    private static readonly ModelCapabilities Model = new() { Id = "m", Kind = MediaKind.Image };

    private static FakeMediaGenerator Fake(string name = "fake") => new FakeMediaGenerator(name).AddModel(Model, 1);

    [Fact]
    public async Task Build_TwoLayers_FirstUseIsOutermost()
    {
        using var fake = Fake();
        var calls = new List<string>();
        using var generator = fake.AsBuilder()
            .Use(inner => new Recording(inner, "outer", calls))
            .Use(inner => new Recording(inner, "inner", calls))
            .Build();

        (await generator.SubmitAsync(new GenerationRequest("m", "a cat"))).GetValueOrThrow();

        Assert.Equal(["outer", "inner"], calls);
        Assert.Equal(1, fake.SubmitCount);
    }

    [Fact]
    public async Task Dispose_ThroughTheTelemetryLayer_DisposesTheProvider()
    {
        var fake = Fake();
        var generator = fake.AsBuilder().UseTelemetry().Build();
        Assert.IsType<InstrumentedMediaGenerator>(generator);

        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await fake.QuoteAsync(new GenerationRequest("m", "a cat")));
    }

    [Fact]
    public async Task SubmitAsync_QuoteMadeByAnotherGenerator_IsRefusedWithoutSending()
    {
        using var first = Fake("first");
        using var second = Fake("second");
        var quote = (await first.QuoteAsync(new GenerationRequest("m", "a cat"))).GetValueOrThrow();

        var result = await second.SubmitAsync(quote);

        Assert.Equal("Quote", Assert.Single(Assert.IsType<InvalidRequestError>(result.Error).Errors).Field);
        Assert.Equal(0, first.SubmitCount + second.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_QuoteWithoutKey_MintsOneAtSendTimeAndTheQuoteKeepsNone()
    {
        using var fake = Fake();
        var quote = (await fake.QuoteAsync(new GenerationRequest("m", "a cat"))).GetValueOrThrow();

        var job = (await fake.SubmitAsync(quote)).GetValueOrThrow();

        Assert.Null(quote.IdempotencyKey);
        Assert.False(string.IsNullOrEmpty(job.Handle.IdempotencyKey));
        Assert.Equal(job.Handle.IdempotencyKey, Assert.Single(fake.AcceptedJobs).Request.IdempotencyKey);
    }

    [Fact]
    public async Task Dispose_Router_RefusesFurtherCallsButLeavesItsProvidersUsable()
    {
        using var fake = Fake();
        var router = new MediaRouter([fake]);

        router.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await router.QuoteAsync(new GenerationRequest("m", "a cat")));
        Assert.True((await fake.QuoteAsync(new GenerationRequest("m", "a cat"))).IsSuccess);
    }

    private sealed class Recording(IMediaGenerator inner, string name, List<string> calls) : DelegatingMediaGenerator(inner)
    {
        public override Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default)
        {
            calls.Add(name);
            return base.SubmitAsync(quote, cancellationToken);
        }
    }
}
