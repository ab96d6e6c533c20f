using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.Testing.Emulators.Replicate;
using MediaGen.Testing.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace MediaGen.Testing.Tests.Hosting;

/// <summary>The emulator kit the four emulators share: keys, rate windows, the job store.</summary>
public class EmulatorKitTests
{
    public static TheoryData<string> Vendors => new() { "meigen", "veogen", "apiframe", "replicate" };

    private static IEmulatedApi NewEmulator(string vendor) => vendor switch
    {
        "meigen" => new MeiGenEmulator(),
        "veogen" => new VeoGenEmulator(),
        "replicate" => new ReplicateEmulator(),
        _ => new ApiframeEmulator(),
    };

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task ProviderBaseAddressAndSubmitPath_DefaultKey_ReachTheSubmitEndpointAndPassAuth(string vendor)
    {
        var emulator = NewEmulator(vendor);
        await using EmulatorHost host = await EmulatorHost.StartAsync(emulator);
        using var http = new HttpClient();

        using var response = await http.SendAsync(Submit(emulator, host, emulator.DefaultApiKey, "{}"));

        // An empty body is invalid at every vendor: the request got past routing and auth to validation.
        Assert.Contains((int)response.StatusCode, new[] { 400, 422 });
        Assert.Equal(emulator.SubmitPath, Assert.Single(host.Requests).Path);
        Assert.StartsWith(emulator.ProviderBaseAddress(host).AbsolutePath, emulator.SubmitPath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("meigen", "meigen_sk_YOUR_API_KEY", "sk_live_other")]
    [InlineData("veogen", "YOUR_TOKEN", "")]
    [InlineData("apiframe", "afk_YOUR_API_KEY", "sk_live_other")]
    [InlineData("replicate", "r8_Hw***", "sk_live_other")] // §1.2: R0's masked example token
    public async Task ApiKeys_NoKeySet_AcceptAnyKeyOfTheDocumentedFormOnly(string vendor, string documentedPlaceholder, string otherForm)
    {
        var emulator = NewEmulator(vendor);
        await using EmulatorHost host = await EmulatorHost.StartAsync(emulator);
        using var http = new HttpClient();

        using var placeholder = await http.SendAsync(Submit(emulator, host, documentedPlaceholder, "{}"));
        using var other = await http.SendAsync(Submit(emulator, host, otherForm, "{}"));

        // The docs' own placeholder key gets past auth to validation (an empty body is invalid everywhere).
        Assert.Contains((int)placeholder.StatusCode, new[] { 400, 422 });
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task ApiKeys_KeySetGivenAndThenKeyMadeInactive_OnlyListedKeysAreAcceptedUntilInactive(string vendor)
    {
        var emulator = NewEmulator(vendor);
        await using EmulatorHost host = await EmulatorHost.StartAsync(emulator);
        using var http = new HttpClient();
        string prefix = emulator.ApiKeys.DocumentedPrefix;
        string listed = prefix + "listed-key-for-this-test";

        emulator.ApiKeys.Accepted.Add(listed);
        using var unlisted = await http.SendAsync(Submit(emulator, host, prefix + "YOUR_API_KEY", "{}"));
        using var accepted = await http.SendAsync(Submit(emulator, host, listed, "{}"));
        emulator.ApiKeys.Inactive.Add(listed);
        using var inactive = await http.SendAsync(Submit(emulator, host, listed, "{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, unlisted.StatusCode);
        Assert.Contains((int)accepted.StatusCode, new[] { 400, 422 });
        Assert.Equal(vendor == "apiframe" ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized, inactive.StatusCode);
    }

    [Fact]
    public void Check_BearerScheme_ReadsTheTokenAndTellsMissingFromInvalid()
    {
        var keys = new EmulatorApiKeys("Authorization", bearer: true, hasVendorShape: null, "good");

        Assert.Equal(new ApiKeyCheck(ApiKeyVerdict.Valid, "good"), keys.Check(Request(("Authorization", "Bearer good"))));
        Assert.Equal(ApiKeyVerdict.Missing, keys.Check(Request()).Verdict);
        Assert.Equal(ApiKeyVerdict.Invalid, keys.Check(Request(("Authorization", "Basic good"))).Verdict);
        Assert.Equal(ApiKeyVerdict.Invalid, keys.Check(Request(("Authorization", "Bearer other"))).Verdict);
    }

    [Fact]
    public void Check_HeaderSchemeWithNoListedKeys_AcceptsAnyKeyOfTheVendorsShape()
    {
        var keys = new EmulatorApiKeys("X-API-Key", bearer: false, key => key.StartsWith("afk_", StringComparison.Ordinal));

        Assert.True(keys.Check(Request(("X-API-Key", "afk_anything"))).IsValid);
        Assert.Equal(ApiKeyVerdict.Invalid, keys.Check(Request(("X-API-Key", "sk_other"))).Verdict);
        Assert.Equal(ApiKeyVerdict.Missing, keys.Check(Request(("X-API-Key", string.Empty))).Verdict);
    }

    [Fact]
    public void TryTake_LimitReached_RefusesUntilTheOldestRequestLeavesTheSlidingWindow()
    {
        var clock = new FakeClock();
        var window = new EmulatorRateWindow(() => clock, TimeSpan.FromMinutes(1));
        Assert.True(window.TryTake("k", 2, out _));
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(window.TryTake("k", 2, out _));

        Assert.False(window.TryTake("k", 2, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);
        Assert.True(window.TryTake("other", 2, out _));

        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.True(window.TryTake("k", 2, out _));
        Assert.False(window.TryTake("k", 2, out retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(20), retryAfter);
    }

    [Fact]
    public void TryTake_LimitZero_RefusesWithAWholeWindow()
    {
        var window = new EmulatorRateWindow(() => new FakeClock(), TimeSpan.FromMinutes(1));

        Assert.False(window.TryTake("k", 0, out var retryAfter));
        Assert.Equal(TimeSpan.FromMinutes(1), retryAfter);
    }

    [Fact]
    public async Task Submit_SameKeyTwicePerAccount_ChargesOnceAndAnotherAccountGetsItsOwnJob()
    {
        await using var kit = await KitAsync();
        var store = kit.Store;

        var first = store.Submit("alice", "key-1", 5m, "a fox", slot => new EmulatedJob(slot));
        var again = store.Submit("alice", "key-1", 5m, "a fox", slot => throw new InvalidOperationException("no new job"));
        var other = store.Submit("bob", "key-1", 5m, "a fox", slot => new EmulatedJob(slot));

        Assert.Equal(SubmitOutcome.Accepted, first.Outcome);
        Assert.Equal((SubmitOutcome.Duplicate, first.Job), (again.Outcome, again.Job));
        Assert.Equal(SubmitOutcome.Accepted, other.Outcome);
        Assert.NotEqual(first.Job!.Id, other.Job!.Id);
        Assert.Equal(2, store.Count);
        Assert.Equal(10m, kit.Host.Ledger.TotalCharged("credits"));
        Assert.Same(first.Job, store.FindByKey("alice", "key-1"));
    }

    [Fact]
    public async Task Submit_RefusedByAdmissionOrFunds_CreatesNoJobAndChargesNothing()
    {
        await using var kit = await KitAsync();
        kit.Host.Ledger.SetBalance("credits", 3m);

        var refused = kit.Store.Submit("alice", null, 1m, "p", Create, admit: _ => false);
        var broke = kit.Store.Submit("alice", null, 5m, "p", Create);

        Assert.Equal(SubmitOutcome.Refused, refused.Outcome);
        Assert.Equal((SubmitOutcome.InsufficientFunds, 3m), (broke.Outcome, broke.Balance));
        Assert.Equal(0, kit.Store.Count);
        Assert.Empty(kit.Host.Jobs.Jobs);
        Assert.Equal(3m, kit.Host.Ledger.GetBalance("credits"));
    }

    [Fact]
    public async Task RefundOnce_CalledTwice_CreditsThePriceBackOnce()
    {
        await using var kit = await KitAsync();
        kit.Host.Ledger.SetBalance("credits", 10m);
        var job = kit.Store.Submit("alice", null, 4m, "p", Create).Job!;

        Assert.True(kit.Store.RefundOnce(job));
        Assert.False(kit.Store.RefundOnce(job));

        Assert.Equal(10m, kit.Host.Ledger.GetBalance("credits"));
        Assert.Equal(0m, kit.Host.Ledger.TotalCharged("credits"));
    }

    [Fact]
    public async Task ChargeOnce_JobSubmittedWithoutCharge_IsChargedOnceLaterEvenIntoANegativeBalance()
    {
        await using var kit = await KitAsync();
        kit.Host.Ledger.SetBalance("credits", 3m);
        var job = kit.Store.Submit("alice", null, 4m, "p", Create, chargeOnAccept: false).Job!;
        var before = kit.Host.Ledger.Entries.Count;

        Assert.True(kit.Store.ChargeOnce(job));
        Assert.False(kit.Store.ChargeOnce(job));

        Assert.Equal(0, before);
        Assert.Equal(4m, Assert.Single(kit.Host.Ledger.Entries).Amount);
        Assert.Equal(-1m, kit.Host.Ledger.GetBalance("credits"));
    }

    [Fact]
    public async Task PublishOnce_CalledTwice_PublishesOnce()
    {
        await using var kit = await KitAsync();
        var job = kit.Store.Submit("alice", null, 1m, "p", Create).Job!;
        var publishes = 0;

        var first = job.PublishOnce(() => [new Uri($"https://example.test/{++publishes}.png")]);
        var second = job.PublishOnce(() => [new Uri($"https://example.test/{++publishes}.png")]);

        Assert.Equal(1, publishes);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task MeiGenAnswers_KeepTheirContentType_ApplicationJsonWithoutCharset()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new MeiGenEmulator());
        using var http = host.CreateClient();

        using var models = await http.GetAsync("api/models");

        Assert.Equal("application/json", models.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task VeoGenRateLimit_OverTheLimit_Answers429WithRetryAfterUntilTheOldestRequestIsAMinuteOld()
    {
        var clock = new FakeClock();
        var emulator = new VeoGenEmulator { RequestsPerMinute = 2 };
        await using EmulatorHost host = await EmulatorHost.StartAsync(emulator, new EmulatorHostOptions { TimeProvider = clock });
        using var http = new HttpClient { BaseAddress = VeoGenEmulator.ProviderBaseAddress(host) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", VeoGenEmulator.DefaultApiKey);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("balance")).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("balance")).StatusCode);
        using var limited = await http.GetAsync("balance");
        clock.Advance(TimeSpan.FromSeconds(15));
        using var later = await http.GetAsync("balance");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(15), limited.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    private static EmulatedJob Create(JobSlot slot) => new(slot);

    private static HttpRequestMessage Submit(IEmulatedApi emulator, EmulatorHost host, string key, string body)
    {
        var url = new Uri(host.BaseAddress, emulator.SubmitPath);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        emulator.ApiKeys.Authorize(request, key);
        return request;
    }

    private static HttpRequest Request(params (string Name, string Value)[] headers)
    {
        var http = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            http.Request.Headers[name] = value;
        }

        return http.Request;
    }

    private static async Task<Kit> KitAsync()
    {
        var emulator = new TestEmulator();
        var host = await EmulatorHost.StartAsync(emulator);
        return new Kit(host, new EmulatedJobStore<EmulatedJob>(() => emulator.Context!, "credits"));
    }

    private sealed record Kit(EmulatorHost Host, EmulatedJobStore<EmulatedJob> Store) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }
}
