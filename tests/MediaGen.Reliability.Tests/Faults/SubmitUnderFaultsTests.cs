using System.Diagnostics;
using MediaGen.Reliability.Tests.Support;
using MediaGen.Testing;
using Xunit.Abstractions;

namespace MediaGen.Reliability.Tests.Faults;

/// <summary>
/// 1,000 logical requests per vendor against its emulator, each first submit attempt meeting a fault drawn from a
/// seeded mix; then every accepted job is waited for. Money: the emulator's billing ledger never shows two charges for
/// one logical request. Outcomes: every request ends succeeded, failed with a typed error, or outcome-unknown carrying
/// its key (and handle when known).
/// </summary>
public sealed class SubmitUnderFaultsTests(ITestOutputHelper output)
{
    private const int Requests = 1_000;
    private const int Parallelism = 25;

    public static TheoryData<string> VendorNames => [.. Vendor.All.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(VendorNames))]
    public async Task SubmitAsync_ThousandRequestsUnderMixedFaults_NeverChargesTwiceAndEveryRequestEndsAccountedFor(string vendorName)
    {
        var vendor = Vendor.Get(vendorName);
        await using var rig = await vendor.StartRigAsync();
        var plan = FaultPlan.Create(Requests, seed: 9_000 + vendor.Name.Length);
        plan.Install(rig.Host.Faults, vendor.SubmitPath);
        rig.Host.Jobs.Default = JobScript.CompleteAfterPolls(1); // every waiter of a batch polls once, at the same virtual instant
        var requests = Enumerable.Range(0, Requests).Select(i => vendor.NewRequest(i, "faults")).ToArray();
        var outcomes = new Outcome[Requests];
        var clock = Stopwatch.StartNew();

        // Phase 1: every request whose first attempt does not hang, concurrently in bounded batches, each batch submitted
        // and then waited for on the fake clock (which moves only when code sleeps on it: Retry-After, back-off, polling).
        // Between batches it moves 5 minutes, as a real stream of requests would, so VeoGen's list look-up window holds
        // one batch, not all 1,000 jobs.
        var instant = Enumerable.Range(0, Requests).Where(i => plan.Faults[i] != InjectedFault.SlowPastAttemptTimeout).ToArray();
        foreach (var batch in instant.Chunk(Parallelism))
        {
            await rig.Time.DriveAsync(Task.WhenAll(batch.Select(i => SubmitAsync(rig, requests[i], i, plan.Faults[i], outcomes))));
            await rig.Time.DriveAsync(Task.WhenAll(batch.Select(i => WaitAsync(rig, outcomes[i]))));
            rig.Time.Advance(TimeSpan.FromMinutes(5));
        }

        // Phase 2: requests held past the attempt timeout, one at a time: once the emulator holds the request, the clock
        // moves exactly to the attempt deadline, so no other request's deadline can be reached by it.
        var start = rig.Time.GetUtcNow();
        foreach (var i in Enumerable.Range(0, Requests).Where(i => plan.Faults[i] == InjectedFault.SlowPastAttemptTimeout))
        {
            var held = rig.Host.Requests.Count(r => r.Fault == FaultKind.Latency);
            var submit = SubmitAsync(rig, requests[i], i, plan.Faults[i], outcomes);
            await WaitUntilAsync(() => rig.Host.Requests.Count(r => r.Fault == FaultKind.Latency) > held || submit.IsCompleted);
            rig.Time.Advance(Vendor.HttpOptions().SubmitAttemptTimeout);
            await (vendor.SleepsAfterSubmitTimeout ? rig.Time.DriveAsync(submit) : submit.WaitAsync(TimeSpan.FromSeconds(30)));
            await rig.Time.DriveAsync(WaitAsync(rig, outcomes[i]));
            rig.Time.Advance(TimeSpan.FromMinutes(5));
        }

        clock.Stop();
        Assert.True(rig.Time.GetUtcNow() - start < FaultPlan.SlowFaultLatency, "the test moved the clock so far that held requests were released");
        var ledger = rig.Host.Ledger.Entries;
        var charges = ledger.Where(e => e.Kind == LedgerEntryKind.Charge).ToArray();
        var chargesByRequest = charges.GroupBy(vendor.LogicalRequestOf).ToDictionary(g => g.Key, g => g.ToArray());
        var duplicates = chargesByRequest.Count(g => g.Value.Length > 1);
        var known = requests.Select(vendor.LogicalRequestOf).ToHashSet();

        var figures = new Figures($"faults-{vendor.Name}", $"Faults and money — {vendor.DisplayName}: {Requests:N0} submits under mixed faults");
        Report(figures, vendor, plan, outcomes, rig, charges.Length, duplicates, chargesByRequest, clock.Elapsed);
        figures.Publish(output);

        Assert.All(outcomes, o => Assert.Null(o.Exception));
        Assert.Equal(0, duplicates);
        Assert.All(chargesByRequest.Keys, k => Assert.Contains(k, known));
        foreach (var o in outcomes)
        {
            var logical = vendor.LogicalRequestOf(o.Request);
            var mine = chargesByRequest.GetValueOrDefault(logical, []);
            switch (o.Category)
            {
                case Category.Succeeded:
                    var charge = Assert.Single(mine);
                    Assert.Equal(charge.JobId, o.Job!.Handle.VendorJobId);
                    Assert.Equal(o.Request.IdempotencyKey, o.Job.Handle.IdempotencyKey);
                    break;
                case Category.FailedTyped:
                    Assert.True(o.Error!.RejectedBeforeBilling, $"request {o.Index} ({o.Fault}) failed with {o.Error} although it may have been billed: that must be outcome-unknown");
                    Assert.Empty(mine);
                    break;
                case Category.OutcomeUnknown:
                    var unknown = Assert.IsType<OutcomeUnknownError>(o.Error);
                    Assert.Equal(o.Request.IdempotencyKey, unknown.IdempotencyKey);
                    if (unknown.Handle is { } handle && mine.Length == 1)
                    {
                        Assert.Equal(mine[0].JobId, handle.VendorJobId);
                    }

                    break;
                default:
                    Assert.Fail($"request {o.Index} ({o.Fault}) did not end: {o.Final}");
                    break;
            }

            Assert.Equal(vendor.Name, o.Error?.Provider ?? vendor.Name);
        }

        // A charged job is never lost: whatever dropped the response, the request ends with that job.
        Assert.All(outcomes.Where(o => o.Fault is InjectedFault.None or InjectedFault.DropAfterHandler or InjectedFault.RateLimitedShort),
            o => Assert.Equal(Category.Succeeded, o.Category));
        Assert.All(outcomes.Where(o => o.Fault == InjectedFault.RateLimitedLong), o => Assert.IsType<RateLimitedError>(o.Error));
        if (vendor.DedupesByKey)
        {
            // Where the vendor dedupes or can be asked by key, every fault but a long 429 is recovered.
            Assert.All(outcomes.Where(o => o.Fault != InjectedFault.RateLimitedLong), o => Assert.Equal(Category.Succeeded, o.Category));
        }

        Assert.Equal(plan.Faults.Count(f => f != InjectedFault.None), plan.FiredCount);
    }

    private static async Task SubmitAsync(VendorRig<IEmulatedApi> rig, GenerationRequest request, int index, InjectedFault fault, Outcome[] outcomes)
    {
        var outcome = new Outcome(index, request, fault);
        outcomes[index] = outcome;
        try
        {
            outcome.Submitted = await rig.Generator.SubmitAsync(request);
            if (!outcome.Submitted.Value.IsSuccess)
            {
                outcome.Final = outcome.Submitted;
            }
        }
        catch (Exception ex)
        {
            outcome.Exception = ex;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var limit = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(limit.Elapsed < TimeSpan.FromSeconds(30), "the emulator never received the held submit");
            await Task.Delay(1);
        }
    }

    private static async Task WaitAsync(VendorRig<IEmulatedApi> rig, Outcome outcome)
    {
        if (outcome.Submitted is not { IsSuccess: true })
        {
            return;
        }

        try
        {
            outcome.Final = await rig.Generator.WaitForCompletionAsync(outcome.Submitted!.Value.Value!.Handle, new WaitOptions { TimeProvider = rig.Time, FirstPollDelay = TimeSpan.FromSeconds(3), PollInterval = TimeSpan.FromSeconds(3) });
        }
        catch (Exception ex)
        {
            outcome.Exception = ex;
        }
    }

    private static void Report(Figures figures, Vendor vendor, FaultPlan plan, Outcome[] outcomes, VendorRig<IEmulatedApi> rig, int charges, int duplicates,
        Dictionary<string, LedgerEntry[]> chargesByRequest, TimeSpan elapsed)
    {
        figures.Table(
            ["fault on the first submit attempt", "requests", "succeeded", "failed (typed)", "outcome unknown", "charged", "duplicates"],
            Enum.GetValues<InjectedFault>().Select(f =>
            {
                var of = outcomes.Where(o => o.Fault == f).ToArray();
                return (IReadOnlyList<object>)
                [
                    f,
                    of.Length,
                    of.Count(o => o.Category == Category.Succeeded),
                    Describe(of.Where(o => o.Category == Category.FailedTyped)),
                    Describe(of.Where(o => o.Category == Category.OutcomeUnknown)),
                    of.Count(o => chargesByRequest.ContainsKey(vendor.LogicalRequestOf(o.Request))),
                    of.Count(o => chargesByRequest.GetValueOrDefault(vendor.LogicalRequestOf(o.Request), []).Length > 1),
                ];
            }).Append(
            [
                "**total**",
                outcomes.Length,
                outcomes.Count(o => o.Category == Category.Succeeded),
                outcomes.Count(o => o.Category == Category.FailedTyped),
                outcomes.Count(o => o.Category == Category.OutcomeUnknown),
                chargesByRequest.Count,
                duplicates,
            ]));
        var unknownCharged = outcomes.Count(o => o.Category == Category.OutcomeUnknown && chargesByRequest.ContainsKey(vendor.LogicalRequestOf(o.Request)));
        var unknownWithHandle = outcomes.Count(o => o.Error is OutcomeUnknownError { Handle: not null });
        figures.Line($"- faults injected: {plan.FiredCount:N0} (one per faulted request, on its first submit attempt); submit POSTs the emulator received: {rig.Submits.Count:N0}; requests in all: {rig.Host.Requests.Count:N0}");
        figures.Line($"- charges in the emulator's billing ledger: {charges:N0}; logical requests charged twice: **{duplicates}**; unhandled exceptions: {outcomes.Count(o => o.Exception is not null)}");
        figures.Line($"- outcome-unknown requests that the vendor had in fact charged: {unknownCharged} (each carries its idempotency key; {unknownWithHandle} also carry a handle)");
        figures.Line($"- wall time: {elapsed.TotalSeconds:0.0} s (batches of {Parallelism} concurrent submits; requests held past the attempt timeout run one at a time)");
    }

    private static string Describe(IEnumerable<Outcome> outcomes)
    {
        var list = outcomes.ToArray();
        if (list.Length == 0)
        {
            return "0";
        }

        return $"{list.Length} ({string.Join(", ", list.GroupBy(o => o.Error!.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))})";
    }

    private enum Category
    {
        Unfinished,
        Succeeded,
        FailedTyped,
        OutcomeUnknown,
    }

    private sealed class Outcome(int index, GenerationRequest request, InjectedFault fault)
    {
        public int Index { get; } = index;

        public GenerationRequest Request { get; } = request;

        public InjectedFault Fault { get; } = fault;

        public Result<GenerationJob>? Submitted { get; set; }

        public Result<GenerationJob>? Final { get; set; }

        public Exception? Exception { get; set; }

        public MediaGenError? Error => Final?.Error;

        public GenerationJob? Job => Final?.Value;

        public Category Category => (Job, Error) switch
        {
            ({ Status: GenerationStatus.Succeeded }, _) => Category.Succeeded,
            (_, OutcomeUnknownError) => Category.OutcomeUnknown,
            (_, not null) => Category.FailedTyped,
            _ => Category.Unfinished,
        };
    }
}
