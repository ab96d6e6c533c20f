namespace MediaGen.Testing.Tests.Billing;

public class BillingLedgerTests
{
    private readonly FakeClock _clock = new();

    [Fact]
    public void Accept_RecordsChargeWithAllDetails()
    {
        var ledger = new BillingLedger(_clock);

        LedgerEntry entry = ledger.Accept("job_1", "idem-1", 2.5m, "credits", "a fox");

        Assert.Equal(new LedgerEntry(LedgerEntryKind.Charge, "job_1", "idem-1", 2.5m, "credits", "a fox", _clock.GetUtcNow()), entry);
        Assert.Equal([entry], ledger.Entries);
        Assert.Equal(1, ledger.ChargedJobCount);
        Assert.Equal(2.5m, ledger.TotalCharged("credits"));
        Assert.Equal(0m, ledger.TotalCharged("USD"));
    }

    [Fact]
    public void ChargedJobCount_CountsDistinctJobs()
    {
        var ledger = new BillingLedger(_clock);

        ledger.Accept("job_1", null, 1m, "credits");
        ledger.Accept("job_1", null, 0.5m, "USD");
        ledger.Accept("job_2", null, 1m, "credits");
        ledger.Accept("job_3", null, 0m, "credits");

        Assert.Equal(3, ledger.ChargedJobCount);
        Assert.Equal(2m, ledger.TotalCharged("credits"));
    }

    [Fact]
    public void Refund_ChargedJob_RemovesItFromCountAndTotals()
    {
        var ledger = new BillingLedger(_clock);
        ledger.Accept("job_1", "idem-1", 3m, "credits", "p");
        ledger.Accept("job_2", "idem-2", 3m, "credits", "q");

        Assert.True(ledger.Refund("job_1"));

        Assert.Equal(1, ledger.ChargedJobCount);
        Assert.Equal(3m, ledger.TotalCharged("credits"));
        LedgerEntry refund = ledger.Entries[^1];
        Assert.Equal(LedgerEntryKind.Refund, refund.Kind);
        Assert.Equal(("job_1", 3m, "credits"), (refund.JobId, refund.Amount, refund.Unit));
    }

    [Fact]
    public void Refund_Twice_OrUnknownJob_RefundsNothingMore()
    {
        var ledger = new BillingLedger(_clock);
        ledger.Accept("job_1", null, 3m, "credits");

        Assert.True(ledger.Refund("job_1"));
        Assert.False(ledger.Refund("job_1"));
        Assert.False(ledger.Refund("job_404"));

        Assert.Equal(2, ledger.Entries.Count);
        Assert.Equal(0m, ledger.TotalCharged("credits"));
        Assert.Equal(0, ledger.ChargedJobCount);
    }

    [Fact]
    public void Refund_ZeroCostJob_StopsCountingIt()
    {
        var ledger = new BillingLedger(_clock);
        ledger.Accept("job_free", null, 0m, "credits");

        Assert.True(ledger.Refund("job_free"));

        Assert.Equal(0, ledger.ChargedJobCount);
    }

    [Fact]
    public void ChargesFor_IdempotencyKey_ReturnsOnlyItsCharges()
    {
        var ledger = new BillingLedger(_clock);
        ledger.Accept("job_1", "idem-a", 1m, "credits");
        ledger.Accept("job_2", "idem-a", 1m, "credits");
        ledger.Accept("job_3", "idem-b", 1m, "credits");
        ledger.Refund("job_2");

        IReadOnlyList<LedgerEntry> charges = ledger.ChargesFor("idem-a");

        Assert.Equal(["job_1", "job_2"], charges.Select(c => c.JobId));
        Assert.All(charges, c => Assert.Equal(LedgerEntryKind.Charge, c.Kind));
        Assert.Empty(ledger.ChargesFor("idem-z"));
    }

    [Fact]
    public void Accept_InvalidArguments_Throw()
    {
        var ledger = new BillingLedger(_clock);

        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.Accept("job_1", null, -1m, "credits"));
        Assert.Throws<ArgumentException>(() => ledger.Accept("", null, 1m, "credits"));
        Assert.Throws<ArgumentException>(() => ledger.Accept("job_1", null, 1m, ""));
        Assert.Empty(ledger.Entries);
    }

    [Fact]
    public void GetBalance_NeverSet_IsDefaultBalance()
    {
        Assert.Equal(BillingLedger.DefaultBalance, new BillingLedger().GetBalance("credits"));
    }

    [Fact]
    public void TryDebit_EnoughBalance_DebitsAndReportsBalanceAfter()
    {
        var ledger = new BillingLedger(_clock);
        ledger.SetBalance("credits", 10m);

        Assert.True(ledger.TryDebit("credits", 4m, out decimal after));

        Assert.Equal(6m, after);
        Assert.Equal(6m, ledger.GetBalance("credits"));
    }

    [Fact]
    public void TryDebit_InsufficientBalance_RefusesAndLeavesBalance()
    {
        var ledger = new BillingLedger(_clock);
        ledger.SetBalance("credits", 3m);

        Assert.False(ledger.TryDebit("credits", 3.01m, out decimal after));

        Assert.Equal(3m, after);
        Assert.Equal(3m, ledger.GetBalance("credits"));
        Assert.True(ledger.TryDebit("credits", 3m, out after));
        Assert.Equal(0m, after);
    }

    [Fact]
    public void Credit_AddsToBalance_PerUnit()
    {
        var ledger = new BillingLedger(_clock);
        ledger.SetBalance("credits", 1m);

        Assert.Equal(6m, ledger.Credit("credits", 5m));

        Assert.Equal(6m, ledger.GetBalance("credits"));
        Assert.Equal(BillingLedger.DefaultBalance, ledger.GetBalance("USD"));
    }

    [Fact]
    public void TryDebit_ConcurrentDebits_NeverOverdraw()
    {
        var ledger = new BillingLedger(_clock);
        ledger.SetBalance("credits", 100m);
        int succeeded = 0;

        Parallel.For(0, 1000, i =>
        {
            if (ledger.TryDebit("credits", 1m, out _))
            {
                Interlocked.Increment(ref succeeded);
            }
        });

        Assert.Equal(100, succeeded);
        Assert.Equal(0m, ledger.GetBalance("credits"));
    }

    [Fact]
    public void Accept_ConcurrentCharges_AreAllRecorded()
    {
        var ledger = new BillingLedger(_clock);

        Parallel.For(0, 1000, i => ledger.Accept($"job_{i}", null, 1m, "credits"));

        Assert.Equal(1000, ledger.ChargedJobCount);
        Assert.Equal(1000m, ledger.TotalCharged("credits"));
    }
}
