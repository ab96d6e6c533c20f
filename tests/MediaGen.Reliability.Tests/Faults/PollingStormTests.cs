using MediaGen.Reliability.Tests.Support;
using MediaGen.Testing;
using Xunit.Abstractions;

namespace MediaGen.Reliability.Tests.Faults;

/// <summary>
/// Status polling through storms of 5xx, 429 with Retry-After, dropped connections and reads held past the attempt
/// timeout: the wait keeps the job (same handle, no resubmission, one charge) and completes once the vendor recovers.
/// Everything runs on the fake clock.
/// </summary>
public sealed class PollingStormTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> RetryAfter30 = new() { ["Retry-After"] = "30" };
    private static readonly Dictionary<string, string> RetryAfter5 = new() { ["Retry-After"] = "5" };

    public static TheoryData<string> VendorNames => [.. Vendor.All.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(VendorNames))]
    public async Task WaitForCompletionAsync_StatusStormOfFiftyFaults_KeepsTheJobAndCompletesWhenTheVendorRecovers(string vendorName)
    {
        var vendor = Vendor.Get(vendorName);
        await using var rig = await vendor.StartRigAsync();
        var request = vendor.NewRequest(1, "storm");
        var job = (await rig.Time.DriveAsync(rig.Generator.SubmitAsync(request))).GetValueOrThrow();
        var statusPath = vendor.StatusPathOf(job.Handle);
        var rules = Storm(rig.Host.Faults, statusPath, rounds: 5);
        var handles = new List<JobHandle>();
        var started = rig.Time.GetUtcNow();

        var result = await rig.Time.DriveAsync(
            // Riding out a storm of 50 is a choice since issue 19: by default three unreadable answers in a row end the wait.
            rig.Generator.WaitForCompletionAsync(job.Handle, new WaitOptions { TimeProvider = rig.Time, Deadline = TimeSpan.FromHours(2), MaxConsecutiveStatusFailures = 100 }, new Progress(handles)),
            TimeSpan.FromHours(3));

        var ended = result.GetValueOrThrow();
        var polls = rig.Host.Requests.Where(r => r.Method == "GET" && r.Path == statusPath).ToArray();
        var figures = new Figures($"storm-{vendor.Name}", $"Status polling through a storm — {vendor.DisplayName}");
        figures.Table(
            ["fault on GET status", "fired"],
            rules.GroupBy(r => Describe(r)).Select(g => (IReadOnlyList<object>)[g.Key, g.Sum(r => r.FiredCount)]));
        figures.Line($"- status requests: {polls.Length} ({polls.Count(p => p.Fault is not null)} faulted, {polls.Count(p => p.Fault is null)} served); submits: {rig.Submits.Count}; charges: {rig.Host.Ledger.Entries.Count(e => e.Kind == LedgerEntryKind.Charge)}; duplicates: 0");
        figures.Line($"- outcome: {ended.Status} after {(rig.Time.GetUtcNow() - started).TotalMinutes:0.0} virtual minutes, same handle {ended.Handle == job.Handle}");
        figures.Publish(output);

        Assert.Equal(GenerationStatus.Succeeded, ended.Status);
        Assert.Equal(job.Handle, ended.Handle);
        Assert.NotEmpty(ended.Outputs);
        Assert.All(rules, r => Assert.True(r.IsExhausted, $"{r} did not fire in full: the storm ended early"));
        Assert.Single(rig.Submits);
        Assert.Equal(1, rig.Host.Ledger.ChargedJobCount);
        Assert.All(handles, h => Assert.Equal(job.Handle, h));
    }

    [Theory]
    [MemberData(nameof(VendorNames))]
    public async Task WaitForCompletionAsync_StormOutlastsTheDeadline_TimesOutWithTheHandleAndAResumeCompletesWithOneCharge(string vendorName)
    {
        var vendor = Vendor.Get(vendorName);
        await using var rig = await vendor.StartRigAsync();
        var job = (await rig.Time.DriveAsync(rig.Generator.SubmitAsync(vendor.NewRequest(2, "storm")))).GetValueOrThrow();
        var statusPath = vendor.StatusPathOf(job.Handle);
        rig.Host.Faults.On(HttpMethod.Get, statusPath).Always().RespondWith(503, """{"error":"Service Unavailable"}""", RetryAfter30);

        var waited = await rig.Time.DriveAsync(rig.Generator.WaitForCompletionAsync(job.Handle, new WaitOptions { TimeProvider = rig.Time, Deadline = TimeSpan.FromMinutes(10) }));

        var timedOut = Assert.IsType<TimedOutError>(waited.Error);
        Assert.Equal(job.Handle, timedOut.Handle);
        Assert.False(timedOut.RejectedBeforeBilling);

        // The vendor recovers; another process resumes from the handle's string form.
        rig.Host.Faults.Clear();
        var handle = JobHandle.Parse(timedOut.Handle.ToString());
        var resumed = await rig.Time.DriveAsync(rig.Generator.WaitForCompletionAsync(handle, new WaitOptions { TimeProvider = rig.Time }));

        Assert.Equal(GenerationStatus.Succeeded, resumed.GetValueOrThrow().Status);
        Assert.Single(rig.Submits);
        Assert.Equal(1, rig.Host.Ledger.ChargedJobCount);
        output.WriteLine($"{vendor.DisplayName}: timed out after 10 virtual minutes of 503s ({rig.Host.Requests.Count(r => r.Fault is not null)} faulted status requests), resumed by handle, succeeded; charges: 1");
    }

    /// <summary>Rounds of: 3× 500, 2× 429 Retry-After 5, 2× 502 HTML page, 1× dropped connection, 1× read held past the attempt timeout, 1× 503 Retry-After 30.</summary>
    private static List<FaultRule> Storm(FaultInjector faults, string statusPath, int rounds)
    {
        var rules = new List<FaultRule>();
        for (var round = 0; round < rounds; round++)
        {
            rules.Add(faults.On(HttpMethod.Get, statusPath).Times(3).RespondWith(500, """{"error":"Internal Server Error"}"""));
            rules.Add(faults.On(HttpMethod.Get, statusPath).Times(2).RespondWith(429, """{"error":"Too many requests"}""", RetryAfter5));
            rules.Add(faults.On(HttpMethod.Get, statusPath).Times(2).RespondWithWrongContentType(502));
            rules.Add(faults.On(HttpMethod.Get, statusPath).Once().DropConnectionBeforeHandler());
            rules.Add(faults.On(HttpMethod.Get, statusPath).Once().Delay(FaultPlan.SlowFaultLatency));
            rules.Add(faults.On(HttpMethod.Get, statusPath).Once().RespondWith(503, """{"error":"Service Unavailable"}""", RetryAfter30));
        }

        return rules;
    }

    private static string Describe(FaultRule rule) => rule.Kind switch
    {
        FaultKind.Respond => $"HTTP {rule.StatusCode}{(rule.Headers.TryGetValue("Retry-After", out var after) ? $" (Retry-After: {after})" : string.Empty)}",
        FaultKind.WrongContentType => $"HTTP {rule.StatusCode} HTML error page",
        FaultKind.DropBeforeHandler => "connection dropped",
        FaultKind.Latency => "held past the 5 s read attempt timeout",
        _ => rule.Kind.ToString(),
    };

    private sealed class Progress(List<JobHandle> handles) : IProgress<GenerationJob>
    {
        public void Report(GenerationJob value)
        {
            lock (handles)
            {
                handles.Add(value.Handle);
            }
        }
    }
}
