using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MediaGen.VeoGen.Internal;

/// <summary>
/// Binds <c>MediaGen:VeoGen</c> by hand (trim- and AOT-safe, no reflection binder). Values that do not parse are left
/// at their defaults here and reported, by key, by <see cref="ParseErrors"/> when the options are validated.
/// </summary>
internal static class VeoGenConfiguration
{
    public static void Bind(IConfiguration section, VeoGenOptions options)
    {
        if (section["ApiKey"] is { } key)
        {
            options.ApiKey = key;
        }

        if (section["BaseAddress"] is { } address && Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            options.BaseAddress = uri;
        }

        if (Int(section, "RequestsPerMinute") is { } rpm)
        {
            options.RequestsPerMinute = rpm;
        }

        if (Bool(section, "UseLivePrices") is { } live)
        {
            options.UseLivePrices = live;
        }

        if (Time(section, "LivePriceLifetime") is { } lifetime)
        {
            options.LivePriceLifetime = lifetime;
        }

        if (Time(section, "ReconciliationClockSkew") is { } skew)
        {
            options.ReconciliationClockSkew = skew;
        }

        if (Int(section, "ReconciliationPageSize") is { } size)
        {
            options.ReconciliationPageSize = size;
        }

        if (Int(section, "ReconciliationMaxPages") is { } pages)
        {
            options.ReconciliationMaxPages = pages;
        }

        options.PriceOverrides.Bind(section.GetSection("PriceOverrides"), VeoGenPrices.OverridesPath, MoneyUnit.Usd, new List<string>()); // errors: ParseErrors
    }

    public static IEnumerable<string> ParseErrors(IConfiguration section, string prefix)
    {
        if (section["BaseAddress"] is { } address && !Uri.TryCreate(address, UriKind.Absolute, out _))
        {
            yield return $"{prefix}:BaseAddress must be an absolute URL such as {VeoGenOptions.DefaultBaseAddress}; got '{address}'.";
        }

        foreach (var name in (string[])["RequestsPerMinute", "ReconciliationPageSize", "ReconciliationMaxPages"])
        {
            if (section[name] is { } text && Int(section, name) is null)
            {
                yield return $"{prefix}:{name} must be a whole number; got '{text}'.";
            }
        }

        if (section["UseLivePrices"] is { } flag && Bool(section, "UseLivePrices") is null)
        {
            yield return $"{prefix}:UseLivePrices must be true or false; got '{flag}'.";
        }

        foreach (var name in (string[])["LivePriceLifetime", "ReconciliationClockSkew"])
        {
            if (section[name] is { } text && Time(section, name) is null)
            {
                yield return $"{prefix}:{name} must be a time span such as 00:02:00; got '{text}'.";
            }
        }

        var priceErrors = new List<string>();
        new PriceOverrides().Bind(section.GetSection("PriceOverrides"), $"{prefix}:PriceOverrides", MoneyUnit.Usd, priceErrors);
        foreach (var error in priceErrors)
        {
            yield return error;
        }
    }

    private static int? Int(IConfiguration section, string key) =>
        int.TryParse(section[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool? Bool(IConfiguration section, string key) =>
        bool.TryParse(section[key], out var value) ? value : null;

    private static TimeSpan? Time(IConfiguration section, string key) =>
        TimeSpan.TryParse(section[key], CultureInfo.InvariantCulture, out var value) ? value : null;
}
