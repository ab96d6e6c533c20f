using System.Net.Sockets;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.VeoGen.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGen.VeoGen.Tests;

/// <summary>
/// VeoGen has no idempotency key: an ambiguous submit is settled through the generation list (same model and prompt,
/// created within the attempt's window) and never resubmitted.
/// </summary>
public sealed class VeoGenSubmitTests
{
    private static readonly HttpMethod Post = HttpMethod.Post;

    [Fact]
    public async Task SubmitAsync_ConnectionDroppedAfterAcceptance_AdoptsTheOneChargedJobFoundViaTheList()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Faults.On(Post, "/api/v1/generations").Once().DropConnectionAfterHandler();
        var request = new GenerationRequest("seedance-2.0", "A lighthouse in a storm") { Resolution = "720p", DurationSeconds = 5, IdempotencyKey = "logical-1" };

        var job = (await env.Generator.SubmitAsync(request)).GetValueOrThrow();

        var charged = Assert.Single(env.Host.Ledger.Entries);
        Assert.Equal(1, env.Host.Ledger.ChargedJobCount);
        Assert.Equal(charged.JobId, job.Handle.VendorJobId);
        Assert.Equal(1.42m, charged.Amount);
        Assert.Single(env.Submits);
        Assert.Contains(env.Host.Requests, r => r.PathAndQuery == "/api/v1/generations?type=video&per_page=100&page=1");
        Assert.Equal("logical-1", job.Handle.IdempotencyKey);
        Assert.Equal(new ModelId("seedance-2.0"), job.Handle.Model);
        Assert.Equal(MediaKind.Video, job.Handle.Kind);
        Assert.Equal(Money.Usd(1.42m), job.Quote!.Amount);
        Assert.NotNull(job.Translation);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SubmitAsync_ThroughTheSharedResilienceHandler_DroppedSubmitIsNeverResent(bool serverError)
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        var fault = env.Host.Faults.On(Post, "/api/v1/generations").Once();
        if (serverError)
        {
            fault.RespondWith(503, "{\"message\":\"Service Unavailable\"}");
        }
        else
        {
            fault.DropConnectionAfterHandler();
        }

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(env.Time);
        services.AddMediaGen().AddVeoGen(o =>
        {
            o.ApiKey = VeoGenEmulator.DefaultApiKey;
            o.BaseAddress = VeoGenEmulator.ProviderBaseAddress(env.Host);
        });
        using var provider = services.BuildServiceProvider();
        var veogen = provider.GetRequiredKeyedService<IMediaGenerator>("veogen");

        var result = await veogen.SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"));

        Assert.Single(env.Submits);
        Assert.Equal(serverError ? 0 : 1, env.Host.Ledger.ChargedJobCount);
        Assert.Equal(!serverError, result.IsSuccess);
        if (serverError)
        {
            Assert.IsType<OutcomeUnknownError>(result.Error);
        }
    }

    [Fact]
    public async Task SubmitAsync_AdoptedJob_CanBeWaitedForToCompletion()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Faults.On(Post, "/api/v1/generations").Once().DropConnectionAfterHandler();

        var result = await env.Time.DriveAsync(env.Generator.GenerateAsync(new GenerationRequest("gpt-4o-image", "A red fox"), new WaitOptions { TimeProvider = env.Time }));

        var job = result.GetValueOrThrow();
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(1, env.Host.Ledger.ChargedJobCount);
        Assert.Single(env.Submits);
    }

    [Fact]
    public async Task SubmitAsync_ConnectionDroppedBeforeTheHandler_IsOutcomeUnknownAndNeverResubmitted()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Faults.On(Post, "/api/v1/generations").Once().DropConnectionBeforeHandler();

        var result = await env.Generator.SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox") { IdempotencyKey = "logical-2" });

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal("logical-2", error.IdempotencyKey);
        Assert.Null(error.Handle);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Contains("no gpt-4o-image job with this prompt", error.Message, StringComparison.Ordinal);
        Assert.Single(env.Submits);
        Assert.Equal(0, env.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_MalformedBodyAfterAcceptance_AdoptsTheJobFromTheList()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Faults.On(Post, "/api/v1/generations").Once().WithMalformedBody();

        var job = (await env.Generator.SubmitAsync(new GenerationRequest("veo-3.1-fast", "A red fox") { Resolution = "4k" })).GetValueOrThrow();

        Assert.Equal(Assert.Single(env.Host.Ledger.Entries).JobId, job.Handle.VendorJobId);
        Assert.Equal(0.90m, env.Host.Ledger.TotalCharged(VeoGenEmulator.Unit));
        Assert.Single(env.Submits);
    }

    [Fact]
    public async Task SubmitAsync_TruncatedBodyAfterAcceptance_AdoptsTheJobFromTheList()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Faults.On(Post, "/api/v1/generations").Once().WithTruncatedBody();

        var job = (await env.Generator.SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"))).GetValueOrThrow();

        Assert.Equal(Assert.Single(env.Host.Ledger.Entries).JobId, job.Handle.VendorJobId);
    }

    [Fact]
    public async Task SubmitAsync_TwoMatchingJobsInTheWindow_IsOutcomeUnknownListingBoth()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        using var otherHttp = new HttpClient();
        var otherProcess = VeoGenProvider.Create(new VeoGenOptions { ApiKey = VeoGenEmulator.DefaultApiKey, BaseAddress = VeoGenEmulator.ProviderBaseAddress(env.Host) }, otherHttp, env.Time);
        var earlier = (await otherProcess.SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"))).GetValueOrThrow();
        env.Host.Faults.On(Post, "/api/v1/generations").Once().DropConnectionAfterHandler();

        var error = Assert.IsType<OutcomeUnknownError>((await env.Generator.SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"))).Error);

        Assert.Contains("2 generations match", error.Message, StringComparison.Ordinal);
        Assert.Contains(earlier.Handle.VendorJobId, error.Message, StringComparison.Ordinal);
        Assert.Null(error.Handle);
        Assert.Equal(2, env.Host.Ledger.ChargedJobCount);
        Assert.Equal(2, env.Submits.Count);
    }

    [Fact]
    public async Task SubmitAsync_JobThisGeneratorAlreadyReturned_IsNeverAdoptedAgain()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        var first = (await env.Generator.SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"))).GetValueOrThrow();
        env.Host.Faults.On(Post, "/api/v1/generations").Once().DropConnectionBeforeHandler();

        var error = Assert.IsType<OutcomeUnknownError>((await env.Generator.SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"))).Error);

        Assert.DoesNotContain(first.Handle.VendorJobId, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, env.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_MatchingJobOlderThanTheWindow_IsNotAdopted()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        using var otherHttp = new HttpClient();
        var otherProcess = VeoGenProvider.Create(new VeoGenOptions { ApiKey = VeoGenEmulator.DefaultApiKey, BaseAddress = VeoGenEmulator.ProviderBaseAddress(env.Host) }, otherHttp, env.Time);
        (await otherProcess.SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"))).GetValueOrThrow();
        env.Time.Advance(TimeSpan.FromMinutes(10));
        env.Host.Faults.On(Post, "/api/v1/generations").Once().DropConnectionBeforeHandler();

        var error = Assert.IsType<OutcomeUnknownError>((await env.Generator.SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"))).Error);

        Assert.Null(error.Handle);
        Assert.Equal(1, env.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_ListUnreadableAfterADrop_IsOutcomeUnknownWithOneChargeNeverTwo()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Faults.On(Post, "/api/v1/generations").Once().DropConnectionAfterHandler();
        env.Host.Faults.On(HttpMethod.Get, "/api/v1/generations").Always().RespondWith(500, "{\"message\":\"Server Error\"}");

        var error = Assert.IsType<OutcomeUnknownError>((await env.Generator.SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox") { IdempotencyKey = "logical-3" })).Error);

        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
        Assert.Contains("logical-3", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, env.Host.Ledger.ChargedJobCount);
        Assert.Single(env.Submits);
    }

    [Fact]
    public async Task SubmitAsync_ServerErrorAndTheListCoversTheWindowWithoutTheJob_IsRejectedBeforeBillingByVeoGensProof()
    {
        // Issue 19: the list already shows a generation created after the attempt's window closed (another job of the
        // account), so it covers the window; no job of this submit is in it: VeoGen's proof of "not accepted".
        var later = Stubbed.Now + TimeSpan.FromMinutes(5);
        var handler = new StubHttpHandler()
            .Enqueue(500, """{"message":"Server Error"}""")
            .Enqueue(200, $$$"""{"data":[{"id":"gen_other","model":"gpt-4o-image","prompt":"A blue whale","status":"pending","created_at":"{{{later:O}}}"}],"meta":{"current_page":1,"last_page":1,"per_page":100,"total":1}}""");

        var result = await Stubbed.Create(handler).SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"));

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Contains("covers the submit's time window", error.NotAcceptedProof, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_ServerErrorOnSubmit_IsSettledThroughTheListNotResubmitted()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Faults.On(Post, "/api/v1/generations").Once().RespondWith(500, "{\"message\":\"Server Error\"}");

        var error = Assert.IsType<OutcomeUnknownError>((await env.Generator.SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"))).Error);

        Assert.Equal(500, error.StatusCode);
        Assert.Single(env.Submits);
        Assert.Single(env.Host.Requests, r => r.Path == "/api/v1/generations" && r.Method == "GET");
    }

    [Fact]
    public async Task SubmitAsync_ConnectionRefused_IsProviderUnavailableRejectedBeforeBilling()
    {
        var handler = new StubHttpHandler().Throw(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused)));

        var error = Assert.IsType<ProviderUnavailableError>((await Stubbed.Create(handler).SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"))).Error);

        Assert.True(error.RejectedBeforeBilling);
        Assert.Single(handler.Requests); // no list lookup, no resubmission
    }

    [Fact]
    public async Task SubmitAsync_CallerCancelsWhileTheSubmitIsInFlight_IsOutcomeUnknownWithKeyWithoutLookingUpOrResubmitting()
    {
        using var cts = new CancellationTokenSource();
        var first = true;
        var inFlight = new StubHttpHandler
        {
            Fallback = _ =>
            {
                Assert.True(first, "no second request expected");
                first = false;
                cts.Cancel();
                throw new TaskCanceledException("canceled", null, cts.Token);
            },
        };

        var result = await Stubbed.Create(inFlight).SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox") { IdempotencyKey = "logical-cancel" }, cts.Token);

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal("logical-cancel", error.IdempotencyKey);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Contains("gpt-4o-image", error.Message, StringComparison.Ordinal);
        Assert.Contains("A red fox", error.Message, StringComparison.Ordinal);
        Assert.Single(inFlight.Requests); // no list lookup under a canceled token, no resubmission
    }

    [Fact]
    public async Task SubmitAsync_CanceledBeforeAnythingWasSent_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var handler = new StubHttpHandler { Fallback = _ => throw new InvalidOperationException("nothing should be sent") };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Stubbed.Create(handler).SubmitAsync(new GenerationRequest("gpt-4o-image", "A red fox"), cts.Token));

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task SubmitAsync_CallerCancelsDuringTheListLookup_IsOutcomeUnknownWithKey()
    {
        using var cts = new CancellationTokenSource();
        var handler = new StubHttpHandler().Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        handler.Fallback = _ =>
        {
            cts.Cancel();
            throw new TaskCanceledException("canceled", null, cts.Token);
        };

        var result = await Stubbed.Create(handler).SubmitAsync(new GenerationRequest("veo-3.1-fast", "A red fox") { IdempotencyKey = "logical-lookup" }, cts.Token);

        var error = Assert.IsType<OutcomeUnknownError>(result.Error);
        Assert.Equal("logical-lookup", error.IdempotencyKey);
        Assert.Equal(2, handler.Requests.Count); // the POST and one list page, nothing more
    }

    [Theory]
    [InlineData("\"weird\"", "null")]
    [InlineData("\"pending\"", "42")]
    public async Task SubmitAsync_2xxWithReadableIdButUnreadableRest_AdoptsThatIdAsQueued(string status, string output)
    {
        var generation = VeoGenDocs.Generation(output: output).Replace("\"status\": \"pending\"", "\"status\": " + status, StringComparison.Ordinal);
        var handler = new StubHttpHandler { Fallback = _ => throw new InvalidOperationException("no lookup expected") }.Enqueue(201, VeoGenDocs.Created(generation, "0.30"));

        var job = (await Stubbed.Create(handler).SubmitAsync(new GenerationRequest("veo-3.1-fast", "A cat") { IdempotencyKey = "logical-id" })).GetValueOrThrow();

        Assert.Equal(VeoGenDocs.JobId, job.Handle.VendorJobId);
        Assert.Equal("logical-id", job.Handle.IdempotencyKey);
        Assert.Equal(GenerationStatus.Queued, job.Status);
        Assert.Single(handler.Requests);
    }

    [Theory]
    [InlineData(307)]
    [InlineData(408)]
    [InlineData(409)]
    [InlineData(425)]
    [InlineData(499)]
    public async Task SubmitAsync_UndocumentedStatusOnSubmit_IsSettledThroughTheListNotRejected(int status)
    {
        var handler = new StubHttpHandler()
            .Enqueue(status, "{\"message\":\"odd\"}")
            .Enqueue(200, ListOf(Item("gen-8", "A red fox", "2025-01-15T10:30:05+00:00")));

        var job = (await Stubbed.Create(handler).SubmitAsync(new GenerationRequest("veo-3.1-fast", "A red fox"))).GetValueOrThrow();

        Assert.Equal("gen-8", job.Handle.VendorJobId);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(HttpMethod.Get, handler.Requests[1].Method);
    }

    [Fact]
    public async Task SubmitAsync_HttpClientTimeout_IsAmbiguousAndLooksUpTheList()
    {
        var handler = new StubHttpHandler()
            .Throw(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException()))
            .Enqueue(200, ListOf(Item("gen-1", "A red fox", "2025-01-15T10:30:05+00:00")));

        var job = (await Stubbed.Create(handler).SubmitAsync(new GenerationRequest("veo-3.1-fast", "A red fox"))).GetValueOrThrow();

        Assert.Equal("gen-1", job.Handle.VendorJobId);
        Assert.Equal("https://veogen.studio/api/v1/generations?type=video&per_page=100&page=1", handler.Requests[1].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task SubmitAsync_MatchOnTheSecondPage_IsFoundByPaging()
    {
        var handler = new StubHttpHandler()
            .Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."))
            .Enqueue(200, ListOf(Item("a", "Other", "2025-01-15T10:30:09+00:00"), Item("b", "Other", "2025-01-15T10:30:08+00:00")).Replace("\"last_page\":1", "\"last_page\":2", StringComparison.Ordinal))
            .Enqueue(200, ListOf(Item("gen-2", "A red fox", "2025-01-15T10:30:01+00:00")));

        var job = (await Stubbed.Create(handler, o => o.ReconciliationPageSize = 2).SubmitAsync(new GenerationRequest("veo-3.1-fast", "A red fox"))).GetValueOrThrow();

        Assert.Equal("gen-2", job.Handle.VendorJobId);
        Assert.EndsWith("per_page=2&page=2", handler.Requests[2].Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_SameModelDifferentPromptOrOtherModel_IsNotAMatch()
    {
        var handler = new StubHttpHandler()
            .Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."))
            .Enqueue(200, ListOf(Item("a", "A red fox!", "2025-01-15T10:30:05+00:00"), Item("b", "A red fox", "2025-01-15T10:30:05+00:00", model: "sora-2")));

        var error = Assert.IsType<OutcomeUnknownError>((await Stubbed.Create(handler).SubmitAsync(new GenerationRequest("veo-3.1-fast", "A red fox"))).Error);

        Assert.Null(error.Handle);
    }

    [Fact]
    public async Task SubmitAsync_PromptWithSurroundingSpaces_MatchesTheVendorsTrimmedPrompt()
    {
        await using var env = await VeoGenTestEnvironment.StartAsync();
        env.Host.Faults.On(Post, "/api/v1/generations").Once().DropConnectionAfterHandler();

        var job = (await env.Generator.SubmitAsync(new GenerationRequest("gpt-4o-image", "  A red fox \n"))).GetValueOrThrow();

        Assert.Equal(Assert.Single(env.Host.Ledger.Entries).JobId, job.Handle.VendorJobId);
    }

    [Fact]
    public async Task SubmitAsync_OneMatchWithUnreadableCreatedAt_IsOutcomeUnknownNamingTheLikelyHandle()
    {
        var handler = new StubHttpHandler()
            .Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."))
            .Enqueue(200, ListOf(Item("gen-3", "A red fox", "yesterday")));

        var error = Assert.IsType<OutcomeUnknownError>((await Stubbed.Create(handler).SubmitAsync(new GenerationRequest("veo-3.1-fast", "A red fox"))).Error);

        Assert.Equal("veogen:gen-3", error.Handle!.ToString());
    }

    [Fact]
    public async Task SubmitAsync_Accepted_CarriesTheVendorChargeBesideTheQuote()
    {
        var handler = new StubHttpHandler().Enqueue(201, VeoGenDocs.Created(VeoGenDocs.Generation(), "0.90"));

        var job = (await Stubbed.Create(handler).SubmitAsync(new GenerationRequest("veo-3.1-fast", "A cat") { Resolution = "4k" })).GetValueOrThrow();

        Assert.Equal(Money.Usd(0.90m), job.Charge);
        Assert.Equal(Money.Usd(0.90m), job.Quote!.Amount);
        Assert.Equal(GenerationStatus.Queued, job.Status);
        Assert.Equal(Stubbed.Now, job.Handle.SubmittedAt);
        Assert.Null(job.PollAfter);
    }

    private static string Item(string id, string prompt, string createdAt, string model = "veo-3.1-fast") =>
        VeoGenDocs.Generation(id: id, prompt: prompt, model: model, createdAt: $"\"{createdAt}\"");

    private static string ListOf(params string[] items) =>
        $$$"""{"data":[{{{string.Join(",", items)}}}],"meta":{"current_page":1,"last_page":1,"per_page":{{{items.Length}}},"total":{{{items.Length}}}}}""";
}
