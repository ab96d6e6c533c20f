using System.Net;
using System.Text;
using MediaGen.Testing.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MediaGen.Testing.Tests.Hosting;

/// <summary>What a host tells about each request, charge and job: which emulator, what status, how long (for tools such as the sandbox console).</summary>
public class EmulatorHostAttributionTests
{
    [Fact]
    public async Task Requests_ServedOrFaulted_RecordTheirEmulatorStatusAndDuration()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync([new TestEmulator("Alpha", "/alpha"), new TestEmulator("Beta", "/beta")]);
        FaultRule rule = host.Faults.On(HttpMethod.Get, "/beta/ping").Once().RespondWith(503);
        using HttpClient http = host.CreateClient();

        using (await http.GetAsync("alpha/ping"))
        using (await http.GetAsync("beta/ping"))
        using (await http.GetAsync("nowhere"))
        {
        }

        IReadOnlyList<RecordedRequest> requests = host.Requests;
        Assert.Equal(["Alpha", "Beta", null], requests.Select(r => r.Emulator));
        Assert.Equal([200, 503, 404], requests.Select(r => r.StatusCode));
        Assert.All(requests, r => Assert.True(r.Duration >= TimeSpan.Zero));
        Assert.Same(rule, requests[1].FaultRule);
        Assert.Null(requests[0].FaultRule);
    }

    [Fact]
    public async Task Requests_ConnectionDroppedBeforeHandler_RecordNoStatus()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator());
        host.Faults.On(HttpMethod.Get, "/api/ping").Once().DropConnectionBeforeHandler();
        using HttpClient http = host.CreateClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("api/ping"));

        RecordedRequest dropped = Assert.Single(host.Requests);
        Assert.Null(dropped.StatusCode);
        Assert.NotNull(dropped.Duration);
        Assert.Equal(FaultKind.DropBeforeHandler, dropped.Fault);
    }

    [Fact]
    public async Task MapEndpoints_HostOwnPage_IsServedButNeitherRecordedNorFaulted()
    {
        var options = new EmulatorHostOptions
        {
            MapEndpoints = routes => routes.MapGet("/", (HttpContext _) => Results.Text("console", "text/plain", Encoding.UTF8)),
        };
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator(), options);
        host.Faults.OnAny().Always().RespondWith(503);
        using HttpClient http = host.CreateClient();

        string page = await http.GetStringAsync("/");
        using HttpResponseMessage vendor = await http.GetAsync("api/ping");

        Assert.Equal("console", page);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, vendor.StatusCode);
        Assert.Equal(["/api/ping"], host.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task LedgerAndJobs_ChargedInAnEmulatorsHandler_NameTheEmulatorAndFollowItsScripts()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator("Alpha", "/alpha"));
        host.Jobs.WhenEmulator("Beta", _ => true, JobScript.Fail(JobFailureKind.ProviderError, "not Alpha's"));
        host.Jobs.WhenEmulator("alpha", prompt => prompt == "b", JobScript.Fail(JobFailureKind.ContentPolicy, "no"));
        using HttpClient http = host.CreateClient();

        using (await http.PostAsync("alpha/generate", new StringContent("{\"prompt\":\"a\"}", Encoding.UTF8, "application/json")))
        using (await http.PostAsync("alpha/generate", new StringContent("{\"prompt\":\"b\"}", Encoding.UTF8, "application/json")))
        {
        }

        Assert.Equal(["Alpha", "Alpha"], host.Ledger.Entries.Select(e => e.Emulator));
        Assert.Equal(["Alpha", "Alpha"], host.Jobs.Jobs.Select(j => j.Emulator));
        Assert.Null(host.Jobs.Jobs[0].Script.FailureKind);
        Assert.Equal(JobFailureKind.ContentPolicy, host.Jobs.Jobs[1].Script.FailureKind);
        Assert.Null(new BillingLedger().Accept("job", null, 1m, "credits").Emulator);
    }
}
