using System.Globalization;

namespace MediaGen.MeiGen.Internal;

/// <summary>What a translated request is priced on.</summary>
internal sealed record PricingInput(ModelId Model, bool HasTiers, GenerationTier? Tier, Resolution? Resolution, int? DurationSeconds, double? ReferenceVideoSeconds, bool HasReferenceVideo);

/// <summary>Prices a request in MeiGen credits: overrides, then live prices from <c>/api/models</c>, then the docs' snapshot.</summary>
internal static class MeiGenPricing
{
    public static PriceQuote Quote(MeiGenModel model, PricingInput input, IReadOnlyList<MeiGenPriceTable> tables)
    {
        return model.Billing switch
        {
            MeiGenBilling.Flat => Flat(input, tables),
            MeiGenBilling.PerSecond => input.HasReferenceVideo ? Continuation(input, tables) : PerSecond(input, tables),
            _ => PerCall(input, tables),
        };
    }

    private static PriceQuote Flat(PricingInput input, IReadOnlyList<MeiGenPriceTable> tables)
    {
        var point = First(tables, t => t.Flat(input.Model));
        return point is { } p
            ? PriceCalculator.PerGeneration(Credits(p.Credits), p.Provenance)
            : PriceQuote.Unknown($"the MeiGen docs give no price for {input.Model} and GET /api/models has not supplied one (credits_per_generation); set MeiGenOptions.Prices to price it");
    }

    private static PriceQuote PerSecond(PricingInput input, IReadOnlyList<MeiGenPriceTable> tables)
    {
        if (Missing(input) is { } why)
        {
            return PriceQuote.Unknown(why);
        }

        var tier = input.Tier;
        var resolution = input.Resolution!.Value;
        var point = First(tables, t => t.PerSecond(input.Model, tier, resolution));
        return point is { } p
            ? PriceCalculator.PerSecond(Credits(p.Credits), input.DurationSeconds!.Value, p.Provenance, Label(resolution, tier))
            : PriceQuote.Unknown($"the per-second rate of {input.Model} at {Label(resolution, tier)} is not in the MeiGen docs and GET /api/models has not supplied it (extra_config.pricingPerSec)");
    }

    private static PriceQuote Continuation(PricingInput input, IReadOnlyList<MeiGenPriceTable> tables)
    {
        if (Missing(input) is { } why)
        {
            return PriceQuote.Unknown(why);
        }

        var tier = input.Tier;
        var resolution = input.Resolution!.Value;
        var duration = input.DurationSeconds!.Value;
        if (input.ReferenceVideoSeconds is not { } reference)
        {
            return PriceQuote.Unknown("continuation is billed on the reference video's length, which was not given");
        }

        var rate = First(tables, t => t.WithVideo(input.Model, tier, resolution));
        if (rate is not { } r)
        {
            return PriceQuote.Unknown($"the continuation rate of {input.Model} at {Label(resolution, tier)} is not in the MeiGen docs and GET /api/models has not supplied it (extra_config.pricingPerSecWithVideo)");
        }

        var floor = FirstFloor(tables, t => t.MinBillable(input.Model, duration));
        if (floor is not { } f)
        {
            return PriceQuote.Unknown($"the minimum billable seconds of a {duration.ToString(CultureInfo.InvariantCulture)} s continuation on {input.Model} are not in the MeiGen docs and GET /api/models has not supplied them (extra_config.minBillableTable)");
        }

        var provenance = r.Provenance == f.Provenance
            ? r.Provenance
            : r.Provenance with { Reference = $"rate: {r.Provenance.Reference}; minimum: {f.Provenance.Reference}" };
        return PriceCalculator.Continuation(Credits(r.Credits), reference, duration, f.Seconds, provenance, $"{Label(resolution, tier)} continuation");
    }

    private static PriceQuote PerCall(PricingInput input, IReadOnlyList<MeiGenPriceTable> tables)
    {
        if (input.DurationSeconds is not { } duration)
        {
            return PriceQuote.Unknown($"no duration given and the default duration of {input.Model} is unknown");
        }

        var point = First(tables, t => t.PerCall(input.Model, input.Tier, duration));
        return point is { } p
            ? PriceCalculator.PerGeneration(Credits(p.Credits), p.Provenance) with
            {
                Basis = $"flat {PriceCalculator.Format(Credits(p.Credits))} per {duration.ToString(CultureInfo.InvariantCulture)} s generation{(input.Tier is { } t ? $" ({t} tier)" : string.Empty)}",
            }
            : PriceQuote.Unknown($"the price of {input.Model} per {duration.ToString(CultureInfo.InvariantCulture)} s generation{(input.Tier is { } tier ? $" in the {tier} tier" : string.Empty)} is not in the MeiGen docs (they defer to the Models page) and GET /api/models has not supplied it (extra_config.pricingPerCall)");
    }

    private static string? Missing(PricingInput input)
    {
        if (input.Tier is null && input.HasTiers)
        {
            return $"no tier given and the default tier of {input.Model} is unknown";
        }

        if (input.Resolution is null)
        {
            return $"no resolution given and the default resolution of {input.Model} is unknown (MeiGen picks the model's default)";
        }

        return input.DurationSeconds is null ? $"no duration given and the default duration of {input.Model} is unknown" : null;
    }

    private static string Label(Resolution resolution, GenerationTier? tier) => tier is { } t ? $"{resolution}, {t} tier" : resolution.Value;

    private static PricePoint? First(IReadOnlyList<MeiGenPriceTable> tables, Func<MeiGenPriceTable, PricePoint?> lookup)
    {
        for (var i = 0; i < tables.Count; i++)
        {
            if (lookup(tables[i]) is { } p)
            {
                return p;
            }
        }

        return null;
    }

    private static FloorPoint? FirstFloor(IReadOnlyList<MeiGenPriceTable> tables, Func<MeiGenPriceTable, FloorPoint?> lookup)
    {
        for (var i = 0; i < tables.Count; i++)
        {
            if (lookup(tables[i]) is { } p)
            {
                return p;
            }
        }

        return null;
    }

    private static Money Credits(decimal amount) => Money.Credits(amount, MeiGenProvider.Name);
}
