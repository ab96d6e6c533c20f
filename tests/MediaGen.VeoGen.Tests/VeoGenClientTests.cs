using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.VeoGen.Tests.TestSupport;

namespace MediaGen.VeoGen.Tests;

/// <summary>Account, balance, the generation list and the models endpoint, through <see cref="VeoGenClient"/>.</summary>
public sealed class VeoGenClientTests
{
    [Fact]
    public async Task GetAccountAsync_DocumentedBody_IsReadAsUsdMoney()
    {
        var handler = new StubHttpHandler().Enqueue(200, VeoGenDocs.Account);

        var account = (await Client(handler).GetAccountAsync()).GetValueOrThrow();

        Assert.Equal(new VeoGenAccount("Ada", "ada@example.com", Money.Usd(42.5m), Money.Usd(12.3m)), account);
        Assert.Equal("https://veogen.studio/api/v1/account", Assert.Single(handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task GetBalanceAsync_DocumentedBody_IsReadAsUsdMoney()
    {
        var handler = new StubHttpHandler().Enqueue(200, VeoGenDocs.Balance);

        var balance = (await Client(handler).GetBalanceAsync()).GetValueOrThrow();

        Assert.Equal(new VeoGenBalance(Money.Usd(42.5m), Money.Usd(12.3m)), balance);
        Assert.Equal("https://api.veogen.studio/api/v1/balance", Assert.Single(handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task GetBalanceAsync_AlternativeHost_IsConfigurable()
    {
        var handler = new StubHttpHandler().Enqueue(200, VeoGenDocs.Balance);
        var veogen = Stubbed.Create(handler, o => o.BaseAddress = new Uri("https://api.veogen.studio/api/v1"));

        await veogen.GetService<VeoGenClient>()!.GetBalanceAsync();

        Assert.Equal("https://api.veogen.studio/api/v1/balance", Assert.Single(handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task AccountAndBalance_AgainstTheEmulator_FollowTheLedger()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Ledger.SetBalance(VeoGenEmulator.Unit, 5m);
        (await env.Generator.SubmitAsync(new GenerationRequest("veo-3.1-fast", "A cat") { Resolution = "4k" })).GetValueOrThrow();

        var account = (await env.Client.GetAccountAsync()).GetValueOrThrow();
        var balance = (await env.Client.GetBalanceAsync()).GetValueOrThrow();

        Assert.Equal(Money.Usd(4.10m), account.Balance);
        Assert.Equal(Money.Usd(0.90m), account.Spent);
        Assert.Equal(Money.Usd(4.10m), balance.Remaining);
    }

    [Fact]
    public async Task ListGenerationsAsync_ByKind_IsPagedWithMeta()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            (await env.Generator.SubmitAsync(new GenerationRequest("gpt-4o-image", $"image {i}"))).GetValueOrThrow();
            env.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var page = (await env.Client.ListGenerationsAsync(MediaKind.Image, perPage: 2, page: 1)).GetValueOrThrow();

        Assert.Equal(2, page.Jobs.Count);
        Assert.Equal((1, 2, 2, 3), (page.CurrentPage, page.LastPage, page.PerPage, page.Total));
        Assert.All(page.Jobs, j => Assert.Equal(GenerationStatus.Queued, j.Status));
    }

    [Fact]
    public async Task ListGenerationsAsync_WithoutKind_HasNoPagingData()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        (await env.Generator.SubmitAsync(new GenerationRequest("gpt-4o-image", "an image"))).GetValueOrThrow();
        (await env.Generator.SubmitAsync(new GenerationRequest("veo-3.1-fast", "a video"))).GetValueOrThrow();

        var page = (await env.Client.ListGenerationsAsync()).GetValueOrThrow();

        Assert.Equal(2, page.Jobs.Count);
        Assert.Null(page.CurrentPage);
        Assert.Null(page.Total);
        Assert.EndsWith("/api/v1/generations?per_page=20", env.Host.Requests[^1].PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshModelAsync_DocumentedVeoBody_GivesItsCapabilities()
    {
        var handler = new StubHttpHandler().Enqueue(200, VeoGenDocs.VeoModel);

        var caps = (await Client(handler).RefreshModelAsync("veo-3.1-fast")).GetValueOrThrow();

        Assert.Equal("Veo 3.1 Fast", caps.DisplayName);
        Assert.Equal(new AspectRatio[] { "16:9", "9:16" }, caps.AspectRatios);
        Assert.Equal(new Resolution[] { "720p", "1080p", "4k" }, caps.Resolutions);
        Assert.Equal([8], caps.Durations!.Values!);
        Assert.Equal(["frame", "ingredient"], caps.Modes);
        Assert.Equal(14, caps.MaxReferenceImages);
        Assert.Equal(0, caps.MaxReferenceVideos);
    }

    [Fact]
    public async Task RefreshModelAsync_Unknown_IsNotFound()
    {
        var handler = new StubHttpHandler().Enqueue(404, VeoGenDocs.ModelNotFound);

        var error = Assert.IsType<NotFoundError>((await Client(handler).RefreshModelAsync("dall-e-9")).Error);

        Assert.Contains("Model not found.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshModelAsync_AgainstTheEmulator_SuppliesPricesTheDocsLack()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync(o => o.UseLiveCatalog = false);
        var before = (await env.Generator.QuoteAsync(new GenerationRequest("nano-banana-2", "A cat") { Resolution = "2K" })).GetValueOrThrow().Price;

        (await env.Client.RefreshModelAsync("nano-banana-2")).GetValueOrThrow();
        var after = (await env.Generator.QuoteAsync(new GenerationRequest("nano-banana-2", "A cat") { Resolution = "2K" })).GetValueOrThrow().Price;
        var charged = (await env.Generator.SubmitAsync(new GenerationRequest("nano-banana-2", "A cat") { Resolution = "2K" })).GetValueOrThrow().Charge;

        Assert.False(before.IsKnown);
        Assert.Equal(PriceSource.Live, after.Source);
        Assert.Equal(charged, after.Amount);
    }

    private static VeoGenClient Client(StubHttpHandler handler) => Stubbed.Create(handler).GetService<VeoGenClient>()!;
}
