using System.Text.Json.Nodes;
using MediaGen.MeiGen.Tests.TestSupport;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.MeiGen;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGen.MeiGen.Tests.Contract;

/// <summary>The client against the emulator over loopback: lifecycles, outputs, credits, limits and paying once.</summary>
public sealed class EmulatorContractTests
{
    private const string Unit = MeiGenEmulatorOptions.CreditsUnit;
    private const string GeneratePath = "/api/generate/v2";

    [Fact]
    public async Task SubmitAsync_ConnectionDroppedAfterTheEmulatorAccepted_EndsInExactlyOneChargedJobRecoveredByKey()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        meigen.Host.Faults.On(HttpMethod.Post, GeneratePath).Once().DropConnectionAfterHandler();
        var client = meigen.Client();

        var job = (await client.SubmitAsync(Clients.Request("nanobanana-2"))).GetValueOrThrow();

        Assert.Equal(1, meigen.Host.Ledger.ChargedJobCount);
        Assert.Equal(1, meigen.Emulator.AcceptedCount);
        Assert.Single(meigen.Submits);
        Assert.Contains(meigen.Host.Requests, r => r.Path == "/api/generate/v2/requests/" + job.Handle.IdempotencyKey);
        Assert.Equal(meigen.Host.Jobs.Jobs.Single().Id, job.Handle.VendorJobId);
        Assert.Equal(Money.Credits(5, "meigen"), job.Charge);
    }

    [Fact]
    public async Task SubmitAsync_KeyAlreadyUsedForAnotherPrompt_AdoptsTheJobUnderTheKeyAndChargesOnce()
    {
        // The emulator answers 409 idempotency_conflict for the same key with a different body. Before the fix that
        // was an InvalidRequestError (rejected before billing: a router would fail over and pay again).
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var client = meigen.Client();
        const string key = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";
        var first = Clients.Request("nanobanana-2");
        first.IdempotencyKey = key;
        var second = Clients.Request("nanobanana-2", "a blue fox in the snow");
        second.IdempotencyKey = key;

        var job = (await client.SubmitAsync(first)).GetValueOrThrow();
        var again = (await client.SubmitAsync(second)).GetValueOrThrow();

        Assert.Equal(job.Handle.VendorJobId, again.Handle.VendorJobId);
        Assert.Equal(1, meigen.Host.Ledger.ChargedJobCount);
        Assert.Equal(2, meigen.Submits.Count);
        Assert.Contains(meigen.Host.Requests, r => r.Path == "/api/generate/v2/requests/" + key);
    }

    [Fact]
    public async Task SubmitAsync_ThroughTheSharedResiliencePipeline_DroppedAfterAcceptStillChargesOnce()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        meigen.Host.Faults.On(HttpMethod.Post, GeneratePath).Once().DropConnectionAfterHandler();
        var services = new ServiceCollection();
        services.AddMediaGen().AddMeiGen(o =>
        {
            o.ApiKey = Clients.ApiKey;
            o.BaseAddress = meigen.ProviderBaseAddress;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredKeyedService<IMediaGenerator>("meigen");

        var job = (await client.SubmitAsync(Clients.Request("nanobanana-2"))).GetValueOrThrow();

        Assert.Single(meigen.Submits);
        Assert.Equal(1, meigen.Host.Ledger.ChargedJobCount);
        Assert.Equal(meigen.Host.Jobs.Jobs.Single().Id, job.Handle.VendorJobId);
    }

    [Fact]
    public async Task SubmitAsync_ConnectionDroppedBeforeTheHandler_ResendsOnceAndChargesOnce()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        meigen.Host.Faults.On(HttpMethod.Post, GeneratePath).Once().DropConnectionBeforeHandler();

        var job = (await meigen.Client().SubmitAsync(Clients.Request("nanobanana-2"))).GetValueOrThrow();

        Assert.Equal(1, meigen.Host.Ledger.ChargedJobCount);
        Assert.Equal(2, meigen.Submits.Count);
        Assert.Equal(JsonNode.Parse(meigen.Submits[0].Body)!["idempotencyKey"]!.GetValue<string>(), job.Handle.IdempotencyKey);
        Assert.Equal(meigen.Submits[0].Body, meigen.Submits[1].Body);
    }

    [Fact]
    public async Task SubmitAsync_GatewayErrorAfterAccepting_IsOutcomeUnknownAndResubmittingWithTheKeyChargesOnce()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        meigen.Host.Faults.On(HttpMethod.Post, GeneratePath).Once().DropConnectionAfterHandler();
        meigen.Host.Faults.OnPrefix(HttpMethod.Get, "/api/generate/v2/requests/").Once().RespondWithWrongContentType(502);
        var client = meigen.Client();
        var request = Clients.Request("nanobanana-2");

        var unknown = Assert.IsType<OutcomeUnknownError>((await client.SubmitAsync(request)).Error);
        request.IdempotencyKey = unknown.IdempotencyKey;
        var resumed = (await client.SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal(meigen.Host.Jobs.Jobs.Single().Id, resumed.Handle.VendorJobId);
        Assert.Equal(1, meigen.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task GenerateAsync_Midjourney_WaitsOnTheFakeClockAndReturnsFourRealPngCandidates()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var client = meigen.Client();
        var request = Clients.Request("midjourney-v8.1").WithMeiGenMidjourneyOptions(new MeiGenMidjourneyOptions { Stylize = 250, Raw = true });

        var job = (await meigen.Time.DriveAsync(client.GenerateAsync(request, new WaitOptions { TimeProvider = meigen.Time }))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(4, job.Outputs.Count);
        Assert.Equal(4, job.Outputs.Select(o => o.Url).Distinct().Count());
        var png = await meigen.Http.GetByteArrayAsync(job.Outputs[3].Url);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(Money.Credits(15, "meigen"), job.Charge);
        Assert.Equal(AspectRatio.Landscape16x9, job.AppliedAspectRatio); // auto became 16:9
    }

    [Fact]
    public async Task GenerateAsync_SeedanceVideo_ReturnsOneVideoOutput()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var request = new GenerationRequest("seedance-2-0", "An eagle over a valley") { Resolution = "720p", DurationSeconds = 5, AspectRatio = AspectRatio.Landscape16x9 };

        var job = (await meigen.Time.DriveAsync(meigen.Client().GenerateAsync(request, new WaitOptions { TimeProvider = meigen.Time }))).GetValueOrThrow();

        var output = Assert.Single(job.Outputs);
        Assert.Equal(MediaKind.Video, output.Kind);
        Assert.Equal("video/mp4", output.ContentType);
        Assert.Equal(Money.Credits(130, "meigen"), job.Quote!.Amount);
        Assert.Equal(Money.Credits(130, "meigen"), job.Charge);
    }

    [Fact]
    public async Task GenerateAsync_ContentPolicyFailure_IsAFailedJobRefundedAtTheEmulator()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        meigen.Host.Jobs.EnqueueNext(JobScript.Fail(JobFailureKind.ContentPolicy, "Content policy violation"));
        var before = meigen.Host.Ledger.GetBalance(Unit);

        var job = (await meigen.Time.DriveAsync(meigen.Client().GenerateAsync(Clients.Request("nanobanana-2"), new WaitOptions { TimeProvider = meigen.Time }))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal(FailureReason.ContentPolicy, job.Failure!.Reason);
        Assert.Equal(before, meigen.Host.Ledger.GetBalance(Unit));
        Assert.Equal(0, meigen.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_OutOfCredits_IsInsufficientFundsWithTheBalance()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        meigen.Host.Ledger.SetBalance(Unit, 3);

        var result = await meigen.Client().SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<InsufficientFundsError>(result.Error);
        Assert.Equal(402, error.StatusCode);
        Assert.Equal(Money.Credits(3, "meigen"), error.Balance);
        Assert.True(error.RejectedBeforeBilling);
    }

    [Fact]
    public async Task SubmitAsync_EmulatorRateLimit_IsRateLimitedWithItsRetryAfter()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync(new MeiGenEmulatorOptions { GenerateRequestsPerMinute = 1 });
        var client = meigen.Client(o => o.RequestsPerMinute = 0); // client-side limiter off: the server answers

        await client.SubmitAsync(Clients.Request("nanobanana-2"));
        var result = await client.SubmitAsync(Clients.Request("nanobanana-2"));

        var error = Assert.IsType<RateLimitedError>(result.Error);
        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(1, meigen.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_ThirteenthWithinAMinute_IsHeldBackByTheClientLimiterWithoutANetworkCall()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var client = meigen.Client();
        for (var i = 0; i < 12; i++)
        {
            (await client.SubmitAsync(Clients.Request("z-image-turbo"))).GetValueOrThrow();
        }

        var held = await client.SubmitAsync(Clients.Request("z-image-turbo"));
        meigen.Time.Advance(TimeSpan.FromSeconds(60));
        var later = await client.SubmitAsync(Clients.Request("z-image-turbo"));

        var error = Assert.IsType<RateLimitedError>(held.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Null(error.StatusCode);
        Assert.True(later.IsSuccess);
        Assert.Equal(13, meigen.Submits.Count);
    }

    [Fact]
    public async Task QuoteAsync_Online_UsesTheModelsEndpointPrices()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var client = meigen.Client();

        var gpt = (await client.QuoteAsync(Clients.Request("gpt-image-2"))).GetValueOrThrow().Price;
        var veo = (await client.QuoteAsync(new GenerationRequest("veo-3.1", "x") { DurationSeconds = 8 })).GetValueOrThrow().Price;
        var horse = (await client.QuoteAsync(new GenerationRequest("happyhorse-1.0", "x") { Resolution = "480p", DurationSeconds = 4 })).GetValueOrThrow().Price;
        var seedanceDefault = (await client.QuoteAsync(new GenerationRequest("seedance-2-0", "x"))).GetValueOrThrow().Price;
        var nano = (await client.QuoteAsync(Clients.Request("nanobanana-2"))).GetValueOrThrow().Price;

        Assert.Equal(Money.Credits(10, "meigen"), gpt.Amount);
        Assert.Equal(PriceSource.Live, gpt.Source);
        Assert.Equal(Money.Credits(20, "meigen"), veo.Amount); // the overview's only Veo figure, fast tier at 8 s
        Assert.Equal(Money.Credits(40, "meigen"), horse.Amount);
        Assert.Equal(Money.Credits(130, "meigen"), seedanceDefault.Amount); // defaults from extra_config: fast, 720p, 5 s
        Assert.Equal(Money.Credits(5, "meigen"), nano.Amount);
        Assert.Single(meigen.Host.Requests, r => r.Path == "/api/models"); // cached
    }

    [Fact]
    public async Task SubmitAsync_QuoteAndChargeAgree_ForEveryModelTheEmulatorPrices()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync(new MeiGenEmulatorOptions { GenerateRequestsPerMinute = 100 });
        var client = meigen.Client(o => o.RequestsPerMinute = 0);
        var models = await client.GetModelsAsync();

        foreach (var model in models.Where(m => m.Id.Value != "rhart-1.5"))
        {
            var request = new GenerationRequest(model.Id, "a lighthouse at dusk");
            var job = (await client.SubmitAsync(request)).GetValueOrThrow();
            Assert.True(job.Quote!.IsKnown, $"{model.Id}: {job.Quote.Basis}");
            Assert.Equal(job.Charge, job.Quote.Amount);
        }
    }

    [Fact]
    public async Task GetModelsAsync_Online_MergesTierResolutionsAndKeepsLegacyIds()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();

        var models = await meigen.Client().GetModelsAsync();

        var seedance = models.Single(m => m.Id == MeiGenModels.Seedance20);
        Assert.Equal([GenerationTier.Fast, GenerationTier.Pro], seedance.Tiers); // rev2: "fast (default) or pro"
        Assert.Equal([Resolution.P480, Resolution.P720, Resolution.P1080], seedance.ResolutionsFor(GenerationTier.Fast));
        Assert.Equal(DurationOptions.Range(4, 15, 5).ToString(), seedance.Durations!.ToString());
        Assert.Contains(models, m => m.Id == MeiGenModels.LegacyMidjourneyV7);
        Assert.Equal(4, models.Single(m => m.Id == MeiGenModels.MidjourneyV81).OutputsPerJob);
    }

    [Fact]
    public async Task SubmitAsync_LegacyMidjourneyV7WithRev1Options_IsAcceptedByTheEmulator()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var request = Clients.Request("midjourney-v7").WithMeiGenMidjourneyOptions(new MeiGenMidjourneyOptions { Weird = 500, StyleVersion = 4, StyleWeight = 500 });

        var job = (await meigen.Client().SubmitAsync(request)).GetValueOrThrow();

        Assert.Equal("midjourney-v7", job.Handle.Model!.Value.Value);
        Assert.Equal(Money.Credits(15, "meigen"), job.Charge);
    }

    [Fact]
    public async Task GetJobAsync_ExtendedFields_SetTheEstimateFromExpectedWait()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        meigen.Host.Jobs.EnqueueNext(JobScript.NeverComplete());
        var client = meigen.Client();
        var job = (await client.SubmitAsync(new GenerationRequest("seedance-2-0", "x") { Resolution = "480p" })).GetValueOrThrow();

        var polled = (await client.GetJobAsync(job.Handle)).GetValueOrThrow();
        meigen.Time.Advance(TimeSpan.FromMinutes(41));
        var ended = await client.GetJobAsync(job.Handle);

        Assert.Equal(job.Handle.SubmittedAt + TimeSpan.FromSeconds(180), polled.EstimatedCompletionAt);
        Assert.IsType<TimedOutError>(ended.Error); // the 40-minute observation window is over
    }
}
