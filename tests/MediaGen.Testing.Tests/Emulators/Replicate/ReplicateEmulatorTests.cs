using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MediaGen.Testing.Emulators.Replicate;

namespace MediaGen.Testing.Tests.Emulators.Replicate;

/// <summary>
/// The Replicate emulator driven over loopback with a raw <see cref="HttpClient"/> and the requests and bodies quoted
/// from the reference page (shared/vendor-docs/replicate-http-api.md), on a fake clock.
/// </summary>
public sealed class ReplicateEmulatorTests : ReplicateEmulatorHarness
{
    // §1.2/§1.8, the maintainer's reply in replicate-python#47.
    private const string UnauthenticatedBody = """{"title":"Unauthenticated","detail":"You did not pass an authentication token","status":401}""";

    // §1.8, the same reply.
    private const string InvalidVersionBody = """{"title":"Invalid version or not permitted","detail":"The specified version does not exist (or perhaps you don't have permission to use it?)","status":422}""";

    // §1.8, D3.
    private const string ThrottledBody = """{"detail":"Request was throttled. Your rate limit resets in ~60s."}""";

    [Fact]
    public async Task CreateOfficialModel_NanoBanana_Returns201StartingPredictionWithUrls()
    {
        var answer = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a lighthouse at dusk"}}""");

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        var body = answer.Body;
        Assert.Equal("starting", answer.PredictionStatus);
        Assert.Equal("google/nano-banana", body["model"]!.GetValue<string>());
        Assert.Equal("hidden", body["version"]!.GetValue<string>());
        Assert.Equal("a lighthouse at dusk", body["input"]!["prompt"]!.GetValue<string>());
        Assert.Null(body["output"]);
        Assert.Null(body["error"]);
        Assert.False(body["data_removed"]!.GetValue<bool>());
        Assert.Equal("api", body["source"]!.GetValue<string>());
        Assert.Equal("2026-11-21T09:00:00.000000Z", body["created_at"]!.GetValue<string>());
        var id = body["id"]!.GetValue<string>();
        Assert.Matches("^[a-z0-9]{26}$", id);
        Assert.Equal(new Uri(Http.BaseAddress!, "predictions/" + id).AbsoluteUri, body["urls"]!["get"]!.GetValue<string>());
        Assert.Equal(new Uri(Http.BaseAddress!, "predictions/" + id + "/cancel").AbsoluteUri, body["urls"]!["cancel"]!.GetValue<string>());
        Assert.Equal("https://replicate.com/p/" + id, body["urls"]!["web"]!.GetValue<string>());
        Assert.Equal(body["urls"]!["get"]!.GetValue<string>(), answer.Headers.Location!.AbsoluteUri);
        Assert.Empty(Host.Ledger.Entries); // billed when it ends, not at create
    }

    [Fact]
    public async Task GetPrediction_PolledToTheEnd_GoesStartingProcessingSucceededWithAServedImageAndOneCharge()
    {
        var id = await CreateAsync();

        var first = await PredictionAsync(id);
        Time.Advance(TimeSpan.FromSeconds(3));
        var second = await PredictionAsync(id);

        Assert.Equal("processing", first["status"]!.GetValue<string>());
        Assert.Equal("2026-11-21T09:00:00.000000Z", first["started_at"]!.GetValue<string>());
        Assert.Equal("succeeded", second["status"]!.GetValue<string>());
        Assert.Equal("2026-11-21T09:00:03.000000Z", second["completed_at"]!.GetValue<string>());
        Assert.Equal(3.0, second["metrics"]!["predict_time"]!.GetValue<double>());
        var url = second["output"]!.GetValue<string>(); // §1.10: nano-banana returns one URI string
        using var file = await Http.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("image/png", file.Content.Headers.ContentType!.MediaType);
        var charge = Assert.Single(Host.Ledger.Entries);
        Assert.Equal((LedgerEntryKind.Charge, id, 0.04m, ReplicateEmulator.Unit), (charge.Kind, charge.JobId, charge.Amount, charge.Unit));
    }

    [Fact]
    public async Task GetPrediction_FluxSchnellFourOutputs_ReturnsAnArrayOfFourAndChargesThePublishedPricePerImage()
    {
        Host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var id = (await PostAsync("models/black-forest-labs/flux-schnell/predictions", """{"input":{"prompt":"a fox","num_outputs":4}}""")).Body["id"]!.GetValue<string>();

        var done = await PredictionAsync(id);

        Assert.Equal(4, done["output"]!.AsArray().Count); // D5's example: num_outputs 4 → an array of 4 URLs
        Assert.Equal(0.012m, Host.Ledger.TotalCharged(ReplicateEmulator.Unit)); // §1.10: $0.003 per image [3p]
        Assert.Equal(BillingLedger.DefaultBalance - 0.012m, Host.Ledger.GetBalance(ReplicateEmulator.Unit));
    }

    [Fact]
    public async Task CreateByVersion_SlugSlugWithIdAndBareId_AllRunTheModelAndTheBareIdIsEchoed()
    {
        var model = (await GetAsync("models/google/nano-banana")).Body;
        var versionId = model["latest_version"]!["id"]!.GetValue<string>();

        var bySlug = await PostAsync("predictions", """{"version":"google/nano-banana","input":{"prompt":"a cat"}}""");
        var byPair = await PostAsync("predictions", $$$"""{"version":"google/nano-banana:{{{versionId}}}","input":{"prompt":"a cat"}}""");
        var byId = await PostAsync("predictions", $$$"""{"version":"{{{versionId}}}","input":{"prompt":"a cat"}}""");

        Assert.Matches("^[0-9a-f]{64}$", versionId);
        Assert.StartsWith("f0a9d34b", versionId, StringComparison.Ordinal); // M1's version page
        Assert.True(model["is_official"]!.GetValue<bool>());
        Assert.All(new[] { bySlug, byPair, byId }, a => Assert.Equal((HttpStatusCode.Created, "google/nano-banana"), (a.Status, a.Body["model"]!.GetValue<string>())));
        Assert.Equal("hidden", bySlug.Body["version"]!.GetValue<string>());
        Assert.Equal(versionId, byId.Body["version"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"version":"acme/unknown","input":{"prompt":"a cat"}}""")]
    [InlineData("""{"version":"0000000000000000000000000000000000000000000000000000000000000000","input":{"prompt":"a cat"}}""")]
    [InlineData("""{"input":{"prompt":"a cat"}}""")]
    public async Task CreateByVersion_UnknownOrMissingVersion_Returns422WithTheDocumentedBody(string request)
    {
        var answer = await PostAsync("predictions", request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(InvalidVersionBody), answer.Body), answer.Text);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(0, Emulator.PredictionCount);
    }

    [Fact]
    public async Task Create_UnknownTopLevelField_Returns422AndIsRecordedWhileAnUnknownInputFieldIsOnlyRecorded()
    {
        var extra = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"},"webhook_completed":"https://example.com/hook"}""");
        var input = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat","guidance_scale":3}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, extra.Status); // R0: additionalProperties: false
        Assert.Equal("(root)", extra.Body["invalid_fields"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, input.Status);
        Assert.Equal(["webhook_completed", "input.guidance_scale"], Emulator.UndocumentedFields.Entries);
        Assert.Equal(1, Emulator.PredictionCount);
    }

    [Theory]
    [InlineData("google/veo-3.1", """{"prompt":"waves","duration":7}""", "input.duration")]
    [InlineData("google/veo-3.1", """{"prompt":"waves","aspect_ratio":"1:1"}""", "input.aspect_ratio")]
    [InlineData("black-forest-labs/flux-schnell", """{"prompt":"a fox","num_outputs":5}""", "input.num_outputs")]
    [InlineData("google/nano-banana-pro", """{"prompt":"a fox","image_input":["1","2","3","4","5","6","7","8","9","10","11","12","13","14","15"]}""", "input.image_input")]
    [InlineData("google/nano-banana", """{"aspect_ratio":"1:1"}""", "input.prompt")]
    public async Task Create_InputOutsideTheModelsSchema_Returns422NamingTheField(string model, string input, string field)
    {
        var answer = await PostAsync($"models/{model}/predictions", $$"""{"input":{{input}}}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal(field, answer.Body["invalid_fields"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(422, answer.Body["status"]!.GetValue<int>());
        Assert.Equal(0, Emulator.PredictionCount);
    }

    [Fact]
    public async Task CreateOfficialModel_UnknownModel_Returns404()
    {
        var answer = await PostAsync("models/acme/nothing/predictions", """{"input":{"prompt":"a cat"}}""");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal(404, answer.Body["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Cancel_RunningPrediction_EndsCanceledAndIsCharged()
    {
        Host.Jobs.Default = JobScript.NeverComplete();
        var id = await CreateAsync();
        await PredictionAsync(id); // processing

        var canceled = await PostAsync($"predictions/{id}/cancel", string.Empty);

        Assert.Equal((HttpStatusCode.OK, "canceled"), (canceled.Status, canceled.PredictionStatus));
        Assert.NotNull(canceled.Body["completed_at"]);
        Assert.Equal(1, Host.Ledger.ChargedJobCount); // D8: canceled predictions are charged
        Assert.Equal("canceled", (await PredictionAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_PredictionNotStartedYet_EndsCanceledWithoutACharge()
    {
        Host.Jobs.Default = JobScript.NeverComplete();
        var id = await CreateAsync();

        var canceled = await PostAsync($"predictions/{id}/cancel", string.Empty);

        Assert.Equal("canceled", canceled.PredictionStatus);
        Assert.Empty(Host.Ledger.Entries);
    }

    [Fact]
    public async Task Cancel_FinishedPrediction_AnswersItUnchangedAndChargesOnce()
    {
        Host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var id = await CreateAsync();
        await PredictionAsync(id);

        var again = await PostAsync($"predictions/{id}/cancel", string.Empty);

        Assert.Equal((HttpStatusCode.OK, "succeeded"), (again.Status, again.PredictionStatus));
        Assert.Single(Host.Ledger.Entries);
    }

    [Fact]
    public async Task CancelAfter_DeadlineBeforeTheStart_EndsAbortedAndIsNeverCharged()
    {
        Host.Jobs.Default = JobScript.NeverComplete();
        var id = await CreateAsync(headers: ("Cancel-After", "10s"));

        Time.Advance(TimeSpan.FromSeconds(10));
        var aborted = await PredictionAsync(id);
        Time.Advance(TimeSpan.FromMinutes(5));
        await PredictionAsync(id);

        Assert.Equal("aborted", aborted["status"]!.GetValue<string>()); // D2: deadline hit before it started
        Assert.Equal("2026-11-21T09:00:10.000000Z", aborted["deadline"]!.GetValue<string>());
        Assert.Equal("2026-11-21T09:00:10.000000Z", aborted["completed_at"]!.GetValue<string>());
        Assert.Null(aborted["started_at"]);
        Assert.Empty(Host.Ledger.Entries); // D8: aborted predictions are not charged
        Assert.Equal(0, Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task CancelAfter_DeadlineWhileRunning_EndsCanceledAndIsCharged()
    {
        Host.Jobs.Default = JobScript.NeverComplete();
        var id = await CreateAsync(headers: ("Cancel-After", "1m"));
        Time.Advance(TimeSpan.FromSeconds(20));
        await PredictionAsync(id); // processing

        Time.Advance(TimeSpan.FromSeconds(40)); // the deadline timer fires with nobody polling
        var charged = Host.Ledger.ChargedJobCount;
        var canceled = await PredictionAsync(id);

        Assert.Equal(1, charged);
        Assert.Equal("canceled", canceled["status"]!.GetValue<string>()); // D2: deadline hit while running
        Assert.Equal("2026-11-21T09:01:00.000000Z", canceled["completed_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task CancelAfter_FinishedBeforeTheDeadline_StaysSucceeded()
    {
        Host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(8));
        var id = await CreateAsync(headers: ("Cancel-After", "10s"));

        Time.Advance(TimeSpan.FromSeconds(30));
        var done = await PredictionAsync(id);

        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal("2026-11-21T09:00:08.000000Z", done["completed_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task CancelAfter_TimeScriptedPredictionStartedBeforeTheDeadline_EndsCanceledAndChargedWithNobodyPolling()
    {
        Host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(20)).WithQueuedDuration(TimeSpan.FromSeconds(2));
        var id = await CreateAsync(headers: ("Cancel-After", "10s"));

        Time.Advance(TimeSpan.FromSeconds(1));
        var queued = await PredictionAsync(id);
        Time.Advance(TimeSpan.FromSeconds(9));
        var charged = Host.Ledger.ChargedJobCount;
        var canceled = await PredictionAsync(id);

        Assert.Equal("starting", queued["status"]!.GetValue<string>());
        Assert.Equal(1, charged);
        Assert.Equal("canceled", canceled["status"]!.GetValue<string>());
        Assert.Equal("2026-11-21T09:00:02.000000Z", canceled["started_at"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("1h30m45s", 5445)]
    [InlineData("90", 90)]
    [InlineData("5s", 5)]
    [InlineData("2m", 120)]
    public async Task CancelAfter_DocumentedForms_SetTheDeadlineFromCreation(string header, int seconds)
    {
        var id = await CreateAsync(headers: ("Cancel-After", header));

        var body = await PredictionAsync(id);

        Assert.Equal(Start.AddSeconds(seconds), DateTimeOffset.Parse(body["deadline"]!.GetValue<string>(), CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("4s")]
    [InlineData("soon")]
    [InlineData("30s1m")]
    public async Task CancelAfter_UnderTheMinimumOrMalformed_Returns422AndCreatesNothing(string header)
    {
        var answer = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""", ("Cancel-After", header));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal(0, Emulator.PredictionCount);
    }

    [Fact]
    public async Task PreferWait_ModelFinishesWithinTheWait_Answers201WithTheFinalOutput()
    {
        var answer = await Time.DriveAsync(PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""", ("Prefer", "wait")));

        Assert.Equal((HttpStatusCode.Created, "succeeded"), (answer.Status, answer.PredictionStatus));
        Assert.StartsWith(Host.BaseAddress.AbsoluteUri, answer.Body["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Start.AddSeconds(2), Time.GetUtcNow()); // two one-second looks at the default two-poll script
    }

    [Fact]
    public async Task PreferWait_ModelStillRunning_Answers202ProcessingAfterNSecondsWithLocation()
    {
        Host.Jobs.Default = JobScript.NeverComplete();

        var answer = await Time.DriveAsync(PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""", ("Prefer", "wait=5")));

        Assert.Equal((HttpStatusCode.Accepted, "processing"), (answer.Status, answer.PredictionStatus));
        Assert.Equal(Start.AddSeconds(5), Time.GetUtcNow());
        Assert.Equal(answer.Body["urls"]!["get"]!.GetValue<string>(), answer.Headers.Location!.AbsoluteUri);
        Assert.Empty(Emulator.UndocumentedFields.Entries);
    }

    [Fact]
    public async Task PreferWait_OverSixtySeconds_IsHeldToTheDocumentedMaximumAndRecorded()
    {
        Host.Jobs.Default = JobScript.NeverComplete();

        var answer = await Time.DriveAsync(PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""", ("Prefer", "wait=90")));

        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        Assert.Equal(Start.AddSeconds(60), Time.GetUtcNow()); // R0/D1: 1–60 s
        Assert.Contains(Emulator.UndocumentedFields.Entries, e => e.StartsWith("header Prefer: wait=90", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PreferWait_WithAnEarlierDeadline_TheDeadlineEndsThePredictionAndTheWait()
    {
        Host.Jobs.Default = JobScript.NeverComplete();

        var answer = await Time.DriveAsync(PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""", ("Prefer", "wait=30"), ("Cancel-After", "10s")));

        Assert.Equal((HttpStatusCode.Created, "canceled"), (answer.Status, answer.PredictionStatus));
        Assert.Equal(Start.AddSeconds(10), Time.GetUtcNow());
        Assert.Equal(1, Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task PreferWait_AnswersAsSoonAsFilesExist_SaysProcessingWithOutputThenSucceeded()
    {
        Emulator.Options.SyncAnswersProcessingWithOutput = true;

        var answer = await Time.DriveAsync(PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""", ("Prefer", "wait")));
        var later = await PredictionAsync(answer.Body["id"]!.GetValue<string>());

        Assert.Equal("processing", answer.PredictionStatus); // D1, replicate-python#385
        Assert.NotNull(answer.Body["output"]);
        Assert.Null(answer.Body["completed_at"]);
        Assert.Equal("succeeded", later["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Output_OneHourAfterCompletion_IsRemovedAndItsFileIsGone()
    {
        Host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var id = await CreateAsync();
        var done = await PredictionAsync(id);
        var url = new Uri(done["output"]!.GetValue<string>());

        Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        using var beforeHour = await Http.GetAsync(url);
        var stillThere = await PredictionAsync(id);
        Time.Advance(TimeSpan.FromSeconds(1));
        using var afterHour = await Http.GetAsync(url);
        var removed = await PredictionAsync(id);

        Assert.Equal(HttpStatusCode.OK, beforeHour.StatusCode);
        Assert.False(stillThere["data_removed"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, afterHour.StatusCode);
        Assert.True(removed["data_removed"]!.GetValue<bool>()); // D4/D5
        Assert.True(removed.AsObject().ContainsKey("output"));
        Assert.Null(removed["output"]);
        Assert.Empty(removed["input"]!.AsObject());
        Assert.Equal("succeeded", removed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Failed_ScriptedFailure_ReportsTheErrorAndIsNotCharged()
    {
        Host.Jobs.Default = JobScript.Fail(JobFailureKind.ContentPolicy, "The input or output was flagged as sensitive.");
        var id = await CreateAsync();

        var failed = await PredictionAsync(id);

        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Equal("The input or output was flagged as sensitive.", failed["error"]!.GetValue<string>());
        Assert.Empty(Host.Ledger.Entries);
    }

    [Fact]
    public async Task Running_ForThirtyMinutes_FailsWithATimeoutAndIsNotCharged()
    {
        Host.Jobs.Default = JobScript.NeverComplete();
        var id = await CreateAsync();
        await PredictionAsync(id);

        Time.Advance(TimeSpan.FromMinutes(30));
        var timedOut = await PredictionAsync(id);

        Assert.Equal("failed", timedOut["status"]!.GetValue<string>()); // D2
        Assert.Empty(Host.Ledger.Entries);
    }

    [Fact]
    public async Task List_CreatedAfterAndBefore_AreInclusiveAndExclusiveNewestFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CreateAsync());
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var all = await ListIdsAsync("predictions");
        var after = await ListIdsAsync("predictions?created_after=" + Uri.EscapeDataString("2026-11-21T09:00:01Z"));
        var before = await ListIdsAsync("predictions?created_before=" + Uri.EscapeDataString("2026-11-21T09:00:01Z"));
        var window = await ListIdsAsync("predictions?created_after=2026-11-21T09:00:01Z&created_before=2026-11-21T09:00:02Z");

        Assert.Equal([ids[2], ids[1], ids[0]], all);
        Assert.Equal([ids[2], ids[1]], after);
        Assert.Equal([ids[0]], before);
        Assert.Equal([ids[1]], window);
    }

    [Fact]
    public async Task List_MoreThanAPage_FollowsNextAndPreviousAsGiven()
    {
        for (var i = 0; i < 101; i++)
        {
            await CreateAsync();
        }

        var first = (await GetAsync("predictions")).Body;
        var second = (await GetAsync(first["next"]!.GetValue<string>())).Body;
        var back = (await GetAsync(second["previous"]!.GetValue<string>())).Body;

        Assert.Equal(100, first["results"]!.AsArray().Count); // R0: 100 per page
        Assert.Null(first["previous"]);
        Assert.Single(second["results"]!.AsArray());
        Assert.Null(second["next"]);
        Assert.Equal(first["results"]!.AsArray().Select(Id), back["results"]!.AsArray().Select(Id));
    }

    [Fact]
    public async Task List_ResultsCarryModelAndInput_SoAnAmbiguousCreateCanBeFound()
    {
        await CreateAsync("""{"input":{"prompt":"find me","aspect_ratio":"16:9"}}""");

        var result = (await GetAsync("predictions")).Body["results"]![0]!;

        Assert.Equal("google/nano-banana", result["model"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"prompt":"find me","aspect_ratio":"16:9"}"""), result["input"]));
    }

    [Fact]
    public async Task Auth_NoToken_Returns401WithTheDocumentedBody()
    {
        using var anonymous = new HttpClient { BaseAddress = Http.BaseAddress };

        using var response = await anonymous.GetAsync(new Uri("predictions", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(UnauthenticatedBody), JsonNode.Parse(await response.Content.ReadAsStringAsync())));
    }

    [Theory]
    [InlineData("Bearer sk_live_not_replicate")]
    [InlineData("Bearer ")]
    [InlineData("Basic cjhfYWJj")]
    public async Task Auth_TokenNotOfTheDocumentedForm_Returns401(string authorization)
    {
        using var other = new HttpClient { BaseAddress = Http.BaseAddress };
        other.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        using var response = await other.GetAsync(new Uri("predictions", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Auth_PredictionOfAnotherToken_IsNotFound()
    {
        var id = await CreateAsync();
        using var other = new HttpClient { BaseAddress = Http.BaseAddress };
        other.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer r8_someone_else_0000000000000000000000000");

        using var response = await other.GetAsync(new Uri("predictions/" + id, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RateLimit_CreatesOverTheMinuteLimit_Answer429WithTheDocumentedBodyAndCreateNothing()
    {
        Emulator.Options.CreatesPerMinute = 2;
        await CreateAsync();
        await CreateAsync();

        var limited = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""");
        var get = await GetAsync("predictions");
        Time.Advance(TimeSpan.FromMinutes(1));
        var later = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ThrottledBody), limited.Body), limited.Text);
        Assert.Null(limited.Headers.RetryAfter); // §1.8: no Retry-After header found in D3
        Assert.Equal(HttpStatusCode.OK, get.Status); // other endpoints have their own 3000/min budget
        Assert.Equal(HttpStatusCode.Created, later.Status);
        Assert.Equal(3, Emulator.PredictionCount);
    }

    [Fact]
    public async Task RateLimit_LowCredit_AllowsOneCreateEveryTenSecondsWithRetryAfterInTheBody()
    {
        Host.Ledger.SetBalance(ReplicateEmulator.Unit, 4.50m);
        await CreateAsync();

        var limited = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""");
        Time.Advance(TimeSpan.FromSeconds(10));
        var later = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(429, limited.Body["status"]!.GetValue<int>());
        Assert.Equal(10, limited.Body["retry_after"]!.GetValue<int>());
        Assert.StartsWith("Request was throttled. Your rate limit for creating predictions is reduced to 6 requests per minute with a burst of 1", limited.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, later.Status);
    }

    [Fact]
    public async Task RateLimit_RetryAfterHeaderOption_AddsTheHeader()
    {
        Emulator.Options.CreatesPerMinute = 1;
        Emulator.Options.SendRetryAfterHeader = true;
        await CreateAsync();

        var limited = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""");

        Assert.Equal(TimeSpan.FromSeconds(60), limited.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Billing_ZeroBalance_Answers402AndStartsNothing()
    {
        Host.Ledger.SetBalance(ReplicateEmulator.Unit, 0m);
        Emulator.Options.LowCreditThresholdUsd = 0m;

        var answer = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""");

        Assert.Equal(HttpStatusCode.PaymentRequired, answer.Status); // D10: at zero balance no new work starts
        Assert.Equal(0, Emulator.PredictionCount);
    }

    [Fact]
    public async Task Billing_RunningPredictionOverrunsTheBalance_IsChargedIntoTheNegative()
    {
        Host.Ledger.SetBalance(ReplicateEmulator.Unit, 0.01m);
        Emulator.Options.LowCreditThresholdUsd = 0m;
        Host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var id = await CreateAsync();

        await PredictionAsync(id);
        var next = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a cat"}}""");

        Assert.Equal(-0.03m, Host.Ledger.GetBalance(ReplicateEmulator.Unit)); // D10: overrun, charged later
        Assert.Equal(HttpStatusCode.PaymentRequired, next.Status);
    }

    [Fact]
    public async Task Billing_VideoWithoutAPublishedPrice_IsChargedTheSandboxRatePerSecondOfItsDuration()
    {
        Host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var id = (await PostAsync("models/google/veo-3.1/predictions", """{"input":{"prompt":"waves","duration":6}}""")).Body["id"]!.GetValue<string>();

        var done = await PredictionAsync(id);
        using var video = await Http.GetAsync(new Uri(done["output"]!.GetValue<string>()));

        Assert.Equal("video/mp4", video.Content.Headers.ContentType!.MediaType);
        Assert.Equal(6 * Emulator.Options.SandboxVideoPricePerSecondUsd, Host.Ledger.TotalCharged(ReplicateEmulator.Unit));
    }

    [Fact]
    public async Task Account_DefaultToken_AnswersTheAccount()
    {
        var account = await GetAsync("account");

        Assert.Equal((HttpStatusCode.OK, "user"), (account.Status, account.Body["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task VendorRig_OfficialModelAndVersionCreates_AreBothCountedAsPaidSubmits()
    {
        await using var rig = await VendorRig.StartAsync(new ReplicateEmulator());
        using var http = new HttpClient { BaseAddress = rig.ProviderBaseAddress };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + rig.ApiKey);

        using var official = await http.PostAsync(new Uri("models/google/nano-banana/predictions", UriKind.Relative), new StringContent("""{"input":{"prompt":"a"}}""", System.Text.Encoding.UTF8, "application/json"));
        using var byVersion = await http.PostAsync(new Uri("predictions", UriKind.Relative), new StringContent("""{"version":"google/nano-banana","input":{"prompt":"b"}}""", System.Text.Encoding.UTF8, "application/json"));
        using var list = await http.GetAsync(new Uri("predictions", UriKind.Relative));

        Assert.Equal(2, rig.Submits.Count);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task Faults_OnPaidSubmit_DropAfterTheHandler_LeavesExactlyOnePredictionForTheListToFind()
    {
        Host.Faults.OnPaidSubmit(Emulator).Once().DropConnectionAfterHandler();

        await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"dropped"}}"""));
        var listed = (await GetAsync("predictions?created_after=" + Uri.EscapeDataString("2026-11-21T09:00:00Z"))).Body["results"]!.AsArray();

        Assert.Equal(1, Emulator.PredictionCount); // §1.9: no idempotency key; the create that reached the server is a prediction
        Assert.Equal("dropped", Assert.Single(listed)!["input"]!["prompt"]!.GetValue<string>());
    }

    private static string Id(JsonNode? result) => result!["id"]!.GetValue<string>();

    private async Task<List<string>> ListIdsAsync(string path)
    {
        var answer = await GetAsync(path);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Text);
        return [.. answer.Body["results"]!.AsArray().Select(Id)];
    }
}
