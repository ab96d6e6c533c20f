using MediaGen.Testing;

namespace MediaGen.Tests.Budgets;

public sealed class SpendBudgetMediaGeneratorTests
{
    private static readonly ModelCapabilities Model = new() { Id = "model-a", Kind = MediaKind.Image, TypicalGenerationTime = TimeSpan.FromSeconds(20) };
    private static readonly ModelCapabilities Unpriced = new() { Id = "model-u", Kind = MediaKind.Image, TypicalGenerationTime = TimeSpan.FromSeconds(20) };

    private readonly FakeClock _clock = new();
    private readonly InMemorySpendBudgets _budgets = new();
    private readonly FakeMediaGenerator _fake;

    public SpendBudgetMediaGeneratorTests()
    {
        _fake = new FakeMediaGenerator("meigen", timeProvider: _clock).AddModel(Model, 5).AddModel(Unpriced);
    }

    [Fact]
    public async Task GenerateAsync_WithinBudget_ReservesThenSettlesWithTheCharge()
    {
        var generator = Build(Credits(12));

        var job = (await _clock.DriveAsync(generator.GenerateAsync(Request("k1"), Wait()))).GetValueOrThrow();

        var usage = await Usage(Credits(12));
        Assert.Equal(job.Charge?.Amount ?? 5, usage.Spent.Amount);
        Assert.Equal(0, usage.Reserved.Amount);
        Assert.Equal(12 - usage.Spent.Amount, usage.Remaining.Amount);
    }

    [Fact]
    public async Task SubmitAsync_OverBudget_RefusedBeforeSendingNamingTheBudgetAndWhatIsLeft()
    {
        var generator = Build(Credits(12));
        await generator.SubmitAsync(Request("k1"));
        await generator.SubmitAsync(Request("k2"));

        var refused = await generator.SubmitAsync(Request("k3"));

        var error = Assert.IsType<BudgetExceededError>(refused.Error);
        Assert.Equal(ErrorKind.InsufficientFunds, error.Kind);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Equal("daily", error.Budget);
        Assert.Equal(global::MediaGen.Money.Credits(2, "meigen"), error.Remaining);
        Assert.Equal(global::MediaGen.Money.Credits(5, "meigen"), error.Required);
        Assert.Contains("'daily'", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _fake.SubmitCount);
    }

    [Fact]
    public async Task SubmitAsync_RefusedAsInsufficientFunds_ExistingKindHandlersStillMatch()
    {
        var generator = Build(Credits(1));

        var refused = await generator.SubmitAsync(Request("k1"));

        Assert.IsType<InsufficientFundsError>(refused.Error, exactMatch: false);
        Assert.True(refused.Error!.AsOneOf().IsT2);
    }

    [Fact]
    public async Task SubmitAsync_UnknownPriceUnderABudget_RefusedUnlessAMaximumIsStated()
    {
        var strict = Build(Credits(100));
        var lenient = _fake.AsBuilder().UseSpendBudgets(_budgets, o =>
        {
            o.Budgets.Add(new SpendBudget("daily", Credits(100)));
            o.UnknownPriceMaximums.Add(global::MediaGen.Money.Credits(30, "meigen"));
            o.TimeProvider = _clock;
        }).Build();

        var refused = await strict.SubmitAsync(new GenerationRequest("model-u", "a cat") { IdempotencyKey = "u1" });
        var allowed = await lenient.SubmitAsync(new GenerationRequest("model-u", "a cat") { IdempotencyKey = "u2" });

        var error = Assert.IsType<BudgetExceededError>(refused.Error);
        Assert.Contains("unknown", error.Message, StringComparison.Ordinal);
        Assert.True(allowed.IsSuccess);
        Assert.Equal(30, (await Usage(Credits(100))).Reserved.Amount + (await Usage(Credits(100))).Spent.Amount);
    }

    [Fact]
    public async Task SubmitAsync_VendorRefusedBeforeBilling_ReleasesTheReservation()
    {
        var generator = Build(Credits(12));
        _fake.FailNextSubmit(new RateLimitedError("slow down", "meigen"));

        var refused = await generator.SubmitAsync(Request("k1"));

        Assert.IsType<RateLimitedError>(refused.Error);
        var usage = await Usage(Credits(12));
        Assert.Equal(0, usage.Reserved.Amount + usage.Spent.Amount);
    }

    [Fact]
    public async Task SubmitAsync_SameKeyTwice_ReservesOnce()
    {
        var budgets = new InMemorySpendBudgets();
        var line = new BudgetLine("daily", "*", DateTimeOffset.UnixEpoch, Credits(10), global::MediaGen.Money.Credits(6, "meigen"));

        var first = await budgets.ReserveAsync("k1", [line]);
        var again = await budgets.ReserveAsync("k1", [line]);

        Assert.True(first.IsReserved && again.IsReserved);
        Assert.Equal(6, (await budgets.GetUsageAsync("daily", "*", DateTimeOffset.UnixEpoch, Credits(10))).Reserved.Amount);
    }

    [Fact]
    public async Task ReserveAsync_ManyRacing_NeverMoreThanTheCap()
    {
        var line = new BudgetLine("daily", "*", DateTimeOffset.UnixEpoch, Credits(100), global::MediaGen.Money.Credits(1, "meigen"));

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => _budgets.ReserveAsync($"k{i}", [line]))));

        Assert.Equal(100, results.Count(r => r.IsReserved));
        Assert.Equal(0, (await _budgets.GetUsageAsync("daily", "*", DateTimeOffset.UnixEpoch, Credits(100))).Remaining.Amount);
    }

    [Theory]
    [InlineData(BudgetPeriod.Day, "2026-12-02T00:00:00Z")]
    [InlineData(BudgetPeriod.Hour, "2026-12-02T15:00:00Z")]
    [InlineData(BudgetPeriod.Week, "2026-11-30T00:00:00Z")]
    [InlineData(BudgetPeriod.Month, "2026-12-01T00:00:00Z")]
    [InlineData(BudgetPeriod.Total, "1970-01-01T00:00:00Z")]
    public void PeriodStart_Wednesday_StartOfTheUtcPeriod(BudgetPeriod period, string expected)
    {
        var budget = new SpendBudget("b", global::MediaGen.Money.Usd(1), period);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), budget.PeriodStart(DateTimeOffset.Parse("2026-12-02T16:30:00+01:00", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static global::MediaGen.Money Credits(decimal amount) => global::MediaGen.Money.Credits(amount, "meigen");

    private static GenerationRequest Request(string key) => new("model-a", "a lighthouse") { IdempotencyKey = key };

    private Task<BudgetUsage> Usage(global::MediaGen.Money cap) => _budgets.GetUsageAsync("daily", "*", new SpendBudget("daily", cap).PeriodStart(_clock.GetUtcNow()), cap);

    private IMediaGenerator Build(global::MediaGen.Money cap) =>
        _fake.AsBuilder().UseSpendBudgets(_budgets, o =>
        {
            o.Budgets.Add(new SpendBudget("daily", cap));
            o.TimeProvider = _clock;
        }).Build();

    private WaitOptions Wait() => new() { TimeProvider = _clock };
}
