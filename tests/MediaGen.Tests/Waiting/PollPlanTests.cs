namespace MediaGen.Tests.Waiting;

/// <summary>The poll planner against brute force, and its constraints.</summary>
public class PollPlanTests
{
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(3);

    [Fact]
    public void Create_SmallDistribution_MatchesBruteForceOptimumOverEveryPollSequence()
    {
        // A discrete distribution on whole seconds 1..12: enumerate every poll sequence on the same grid (polls at
        // whole seconds, gaps ≥ 3 s, last poll at 12 s) and find the fewest expected requests at mean delay ≤ target.
        double[] mass = [0, 0.02, 0.03, 0.05, 0.1, 0.2, 0.25, 0.15, 0.1, 0.05, 0.03, 0.02];
        // Uniform within each second.
        double Cdf(double t)
        {
            var whole = Math.Clamp((int)Math.Floor(t), 0, mass.Length);
            return mass.Take(whole).Sum() + (whole < mass.Length ? mass[whole] * (t - whole) : 0);
        }

        var target = TimeSpan.FromSeconds(1.6);

        var plan = PollPlan.Create(Cdf, 12, Gap, target);

        var best = double.PositiveInfinity;
        foreach (var sequence in Sequences(12))
        {
            var (requests, delay) = Evaluate(sequence, mass);
            if (delay <= target.TotalSeconds + 1e-9)
            {
                best = Math.Min(best, requests);
            }
        }

        // The plan (on a finer grid, so it may do better than whole seconds) replayed by numeric integration.
        var times = plan.PollTimes().Select(t => t.TotalSeconds).ToArray();
        double planRequests = 0, planDelay = 0;
        for (var t = 0.0005; t < 12; t += 0.001)
        {
            var p = mass[(int)t] * 0.001;
            var seenBy = Array.FindIndex(times, x => x >= t);
            planRequests += p * (seenBy + 1);
            planDelay += p * (times[seenBy] - t);
        }

        Assert.True(planDelay <= target.TotalSeconds + 0.02, $"plan delay {planDelay}");
        Assert.True(planRequests <= best * 1.01, $"plan {planRequests} requests vs brute-force optimum {best}");
        Assert.Equal(planRequests, plan.ExpectedRequests, 2);
    }

    [Fact]
    public void NextDelay_AfterAPoll_NeverLessThanTheMinimumGap()
    {
        var plan = PollPlan.Create(t => PollingLearner.NormalCdf((Math.Log(Math.Max(t, 1e-6)) - Math.Log(15)) / 0.26), 40, Gap, TimeSpan.FromSeconds(2));

        for (var elapsed = 0.0; elapsed < 60; elapsed += 0.37)
        {
            Assert.True(plan.NextDelay(TimeSpan.FromSeconds(elapsed), afterPoll: true) >= Gap, $"at {elapsed:0.00} s");
        }

        var times = plan.PollTimes();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= Gap - TimeSpan.FromMilliseconds(1), $"{pair.First} → {pair.Second}"));
    }

    [Fact]
    public void Create_JobsUnlikelyEarly_FirstPollWaitsForTheLikelyPart()
    {
        // Veo 3.1: 2–6 min. Nothing to gain from polling in the first minute.
        var plan = PollPlan.Create(t => PollingLearner.NormalCdf((Math.Log(Math.Max(t, 1e-6)) - Math.Log(207.8)) / 0.28), 560, Gap, TimeSpan.FromSeconds(2));

        Assert.True(plan.PollTimes()[0] > TimeSpan.FromSeconds(90), $"first poll at {plan.PollTimes()[0]}");
    }

    [Fact]
    public void Create_HugeHorizon_StaysBoundedAndPollsEveryGapPastIt()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        var plan = PollPlan.Create(t => PollingLearner.NormalCdf((Math.Log(Math.Max(t, 1e-6)) - Math.Log(20)) / 3), 1e7, Gap, TimeSpan.FromSeconds(2));

        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10));
        Assert.Equal(Gap, plan.NextDelay(TimeSpan.FromDays(1), afterPoll: true));
    }

    private static (double Requests, double Delay) Evaluate(int[] polls, double[] mass)
    {
        double requests = 0, delay = 0;
        for (var t = 0; t < mass.Length; t++)
        {
            // A job completing in (t, t+1] (taken at t + 0.5) is seen by the first poll at or after t + 1.
            var seenBy = Array.FindIndex(polls, p => p >= t + 1);
            requests += mass[t] * (seenBy + 1);
            delay += mass[t] * (polls[seenBy] - (t + 0.5));
        }

        return (requests, delay);
    }

    private static IEnumerable<int[]> Sequences(int end)
    {
        IEnumerable<List<int>> From(int last, bool first)
        {
            for (var next = first ? 1 : last + 3; next <= end; next++)
            {
                if (next == end)
                {
                    yield return [next];
                    continue;
                }

                foreach (var rest in From(next, false))
                {
                    rest.Insert(0, next);
                    yield return rest;
                }
            }
        }

        return From(0, true).Select(l => l.ToArray());
    }
}
