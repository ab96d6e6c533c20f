using Microsoft.Extensions.Configuration;

namespace MediaGen.Tests.Money;

using Money = MediaGen.Money;

/// <summary>The layered price book: precedence, the formulas, and what stays unknown (never 0).</summary>
public sealed class PriceBookTests
{
    private static readonly PriceProvenance Docs = new(PriceSource.Snapshot, new DateOnly(2026, 11, 21), "docs");
    private static readonly PriceProvenance Endpoint = new(PriceSource.Live, new DateOnly(2026, 12, 1), "GET /models");
    private static readonly PriceProvenance Mine = new(PriceSource.Override, null, "MediaGen:V:PriceOverrides:m");
    private static readonly MoneyUnit Credits = MoneyUnit.Credits("v");

    private static PriceBook Book(params PriceRule[] snapshot) => new("V", Credits, new PriceLayer(PriceSource.Snapshot, snapshot)) { OverridesPath = "MediaGen:V:PriceOverrides" };

    [Fact]
    public void Quote_SameNumberInEveryLayer_TakesTheOverrideThenLiveThenSnapshotAndNamesTheLayer()
    {
        var book = Book(PriceRule.PerGeneration("m", 5, Docs));
        var live = new PriceLayer(PriceSource.Live, [PriceRule.PerGeneration("m", 6, Endpoint)]);
        var overrides = new PriceLayer(PriceSource.Override, [PriceRule.PerGeneration("m", 7, Mine)]);

        var snapshot = book.Quote(new PriceKey("m"));
        var fromLive = book.WithLive(live).Quote(new PriceKey("m"));
        var overridden = book.WithLive(live).WithOverrides(overrides).Quote(new PriceKey("m"));

        Assert.Equal((PriceSource.Snapshot, Money.Credits(5, "v")), (snapshot.Source, snapshot.Amount!.Value));
        Assert.Equal((PriceSource.Live, Money.Credits(6, "v")), (fromLive.Source, fromLive.Amount!.Value));
        Assert.Equal((PriceSource.Override, Money.Credits(7, "v")), (overridden.Source, overridden.Amount!.Value));
    }

    [Fact]
    public void Quote_TupleKeyedRates_MostSpecificMatchWinsAndAWildcardCoversTheRest()
    {
        var book = Book(
            PriceRule.PerGeneration("veo", 20, Docs, new() { DurationSeconds = 8 }),
            PriceRule.PerGeneration("veo", 30, Docs, new() { Tier = GenerationTier.Pro, DurationSeconds = 8 }));

        Assert.Equal(Money.Credits(30, "v"), book.Quote(new PriceKey("veo") { Tier = GenerationTier.Pro, DurationSeconds = 8 }).Amount);
        Assert.Equal(Money.Credits(20, "v"), book.Quote(new PriceKey("veo") { Tier = GenerationTier.Fast, DurationSeconds = 8 }).Amount);
        Assert.Equal("flat 20 credits per generation (8 s)", book.Quote(new PriceKey("veo") { Tier = GenerationTier.Fast, DurationSeconds = 8 }).Basis);
    }

    [Fact]
    public void Quote_ContinuationFloorOnlyInTheOverrides_CombinesItWithTheSnapshotRateAndNamesBothSources()
    {
        var book = Book(PriceRule.Continuation("s", 8, Docs, new() { Resolution = "480p" }))
            .WithOverrides(new PriceLayer(PriceSource.Override, [PriceRule.MinimumBillableSeconds("s", 6, 10, Mine)]));

        var quote = book.Quote(new PriceKey("s") { Resolution = "480p", DurationSeconds = 6, ReferenceVideo = true, BilledAsContinuation = true, ReferenceVideoSeconds = 3 });

        Assert.Equal(Money.Credits(80, "v"), quote.Amount);
        Assert.StartsWith("max(3 s + 6 s, 10 s) = 10 billable s × 8 credits/s", quote.Basis, StringComparison.Ordinal);
        Assert.Equal(PriceSource.Snapshot, quote.Source);
        Assert.Equal("rate: docs; minimum: MediaGen:V:PriceOverrides:m", quote.Reference);
    }

    [Fact]
    public void Quote_ContinuationKey_IsNeverPricedByAPlainPerSecondRate()
    {
        var book = Book(PriceRule.PerSecond("s", 26, Docs, new() { Resolution = "720p" }));

        var quote = book.Quote(new PriceKey("s") { Resolution = "720p", DurationSeconds = 5, ReferenceVideo = true, BilledAsContinuation = true, ReferenceVideoSeconds = 3 });

        Assert.False(quote.IsKnown);
        Assert.Null(quote.Amount);
        Assert.Contains("continuation rate", quote.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_MultiplyingBook_NoResolutionIsTimesOneAndAnUnknownMultiplierIsUnknown()
    {
        var book = new PriceBook("V", MoneyUnit.Usd, new PriceLayer(PriceSource.Snapshot,
        [
            PriceRule.PerGeneration("veo", 0.30m, Docs),
            PriceRule.ResolutionMultiplier("veo", "4k", 3, Docs),
        ]))
        { MultipliesByResolution = true };

        Assert.Equal(Money.Usd(0.30m), book.Quote(new PriceKey("veo")).Amount);
        Assert.Equal(Money.Usd(0.90m), book.Quote(new PriceKey("veo") { Resolution = "4K" }).Amount);
        var unknown = book.Quote(new PriceKey("veo") { Resolution = "8k" });
        Assert.False(unknown.IsKnown);
        Assert.Contains("multiplier for 8k", unknown.Basis, StringComparison.Ordinal);
        Assert.True(book.LacksPriceFor(new PriceKey("veo") { Resolution = "8k" }));
    }

    [Fact]
    public void Quote_RequestLacksASettingTheRatesAreKeyedBy_IsUnknownNamingTheFieldAndNoLayerIsBlamed()
    {
        var book = Book(
            PriceRule.PerSecond("k", 3, Docs, new() { Mode = "standard", Audio = false }),
            PriceRule.PerSecond("k", 5, Docs, new() { Mode = "pro", Audio = false }));
        var key = new PriceKey("k") { DurationSeconds = 5, Audio = false };

        var quote = book.Quote(key);

        Assert.False(quote.IsKnown);
        Assert.Contains("set Mode (known: standard, pro)", quote.Basis, StringComparison.Ordinal);
        Assert.False(book.LacksPriceFor(key)); // another source could not help: the request must say
    }

    [Fact]
    public void Quote_NoLayerHasAPrice_IsUnknownNamingTheGapAndTheOverrideKey()
    {
        var book = Book(PriceRule.Unknown("sora", "the docs publish no price for sora", Docs));

        var quote = book.Quote(new PriceKey("sora") { DurationSeconds = 10 });

        Assert.Null(quote.Amount);
        Assert.Equal(PriceSource.Unknown, quote.Source);
        Assert.Equal("the docs publish no price for sora; set MediaGen:V:PriceOverrides:sora to price it", quote.Basis);
        Assert.True(book.LacksPriceFor(new PriceKey("sora")));
    }

    [Fact]
    public void Quote_KeysAskedAgain_EachKeepsItsOwnAnswerAndALiveLayerStillPricesIt()
    {
        var book = Book(
            PriceRule.Unknown("sora", "the docs publish no price for sora", Docs),
            PriceRule.PerSecond("k", 3, Docs, new() { Mode = "standard" }));
        var sora = new PriceKey("sora") { DurationSeconds = 10 };
        var noMode = new PriceKey("k") { DurationSeconds = 5 };
        var priced = new PriceKey("k") { DurationSeconds = 5, Mode = "standard" };
        var first = (book.Quote(sora).Basis, book.Quote(noMode).Basis, book.Quote(priced).Amount);

        var again = (book.Quote(sora).Basis, book.Quote(noMode).Basis, book.Quote(priced).Amount);
        var longer = book.Quote(priced with { DurationSeconds = 8 }).Amount;
        var live = book.WithLive(new PriceLayer(PriceSource.Live, [PriceRule.PerGeneration("sora", 7, Endpoint)])).Quote(sora);

        Assert.Equal(first, again);
        Assert.StartsWith("the docs publish no price for sora", again.Item1, StringComparison.Ordinal);
        Assert.Contains("set Mode", again.Item2, StringComparison.Ordinal);
        Assert.Equal(15m, again.Item3!.Value.Amount);
        Assert.Equal(24m, longer!.Value.Amount); // a key that differs in one setting has its own answer
        Assert.Equal(7m, live.Amount!.Value.Amount); // the book with a live layer is another book: it does not say what this one said
    }

    [Fact]
    public void PriceLayer_RuleFromAnotherSource_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new PriceLayer(PriceSource.Override, [PriceRule.PerGeneration("m", 1, Docs)]));

    [Fact]
    public void Bind_EveryShape_BindsOneTypeAndReportsBadValuesByKey()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["P:flux"] = "6",
            ["P:seedance:Per"] = "second",
            ["P:seedance:Rates:0:Tier"] = "fast",
            ["P:seedance:Rates:0:Resolution"] = "720p",
            ["P:seedance:Rates:0:Price"] = "26",
            ["P:seedance:Rates:1:Per"] = "ContinuationSecond",
            ["P:seedance:Rates:1:Resolution"] = "480p",
            ["P:seedance:Rates:1:Price"] = "8",
            ["P:seedance:MinimumBillableSeconds:5"] = "9",
            ["P:veo:Price"] = "0.3",
            ["P:veo:ResolutionMultipliers:4k"] = "3",
            ["P:bad:Prise"] = "1",
            ["P:bad2"] = "cheap",
            ["P:legacy:PriceUsd"] = "0.2",
        }).Build().GetSection("P");
        var overrides = new PriceOverrides();
        var errors = new List<string>();

        overrides.Bind(section, "MediaGen:V:PriceOverrides", Credits, errors);

        Assert.Equal(6m, overrides["flux"].Price);
        Assert.Equal(PricePer.Second, overrides["seedance"].Per);
        Assert.Equal([26m, 8m], overrides["seedance"].Rates.Select(r => r.Price));
        Assert.Equal(PricePer.ContinuationSecond, overrides["seedance"].Rates[1].Per);
        Assert.Equal(9, overrides["seedance"].MinimumBillableSeconds[5]);
        Assert.Equal(3m, overrides["veo"].ResolutionMultipliers["4K"]);
        Assert.Contains(errors, e => e.StartsWith("MediaGen:V:PriceOverrides:bad:Prise is not a price-override setting", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MediaGen:V:PriceOverrides:bad2 must be a flat price per generation (a number of credits)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MediaGen:V:PriceOverrides:legacy:PriceUsd is not a price-override setting", StringComparison.Ordinal)); // credits, not dollars
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Validate_NegativePriceAndEmptyOverride_NameTheirKeys()
    {
        var overrides = new PriceOverrides();
        overrides["a"] = -1m;
        overrides["b"] = new PriceOverride();

        var failures = overrides.Validate("MediaGen:V:PriceOverrides");

        Assert.Contains(failures, f => f.StartsWith("MediaGen:V:PriceOverrides:a:Price must not be negative", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("MediaGen:V:PriceOverrides:b gives no price", StringComparison.Ordinal));
    }
}
