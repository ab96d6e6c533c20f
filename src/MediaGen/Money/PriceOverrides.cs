using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MediaGen;

/// <summary>
/// A vendor's <see cref="PriceOverride"/>s by the vendor's model id (case-insensitive), the same type at every vendor
/// (<c>MeiGenOptions.PriceOverrides</c>, <c>VeoGenOptions.PriceOverrides</c>, <c>ApiframeOptions.PriceOverrides</c>),
/// bound from <c>MediaGen:{Vendor}:PriceOverrides</c>. They form the first layer of the vendor's <see cref="PriceBook"/>.
/// </summary>
public sealed class PriceOverrides : IEnumerable<KeyValuePair<string, PriceOverride>>
{
    private static readonly string[] Settings = ["Price", "Per", "ResolutionMultipliers", "Rates", "MinimumBillableSeconds"];
    private readonly Dictionary<string, PriceOverride> _byModel = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the number of models with an override.</summary>
    public int Count => _byModel.Count;

    /// <summary>Gets or sets the override of a model.</summary>
    /// <param name="model">The vendor's model id.</param>
    /// <returns>The override.</returns>
    /// <exception cref="KeyNotFoundException">The model has no override (on get).</exception>
    public PriceOverride this[string model]
    {
        get => _byModel[model];
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(model);
            ArgumentNullException.ThrowIfNull(value);
            _byModel[model.Trim()] = value;
        }
    }

    /// <summary>Gets whether a model has an override.</summary>
    /// <param name="model">The vendor's model id.</param>
    /// <returns>Whether it has one.</returns>
    public bool ContainsKey(string model) => _byModel.ContainsKey(model);

    /// <summary>Gets the override of a model, if any.</summary>
    /// <param name="model">The vendor's model id.</param>
    /// <param name="price">The override.</param>
    /// <returns>Whether the model has one.</returns>
    public bool TryGetValue(string model, [MaybeNullWhen(false)] out PriceOverride price) => _byModel.TryGetValue(model, out price);

    /// <summary>Removes the override of a model.</summary>
    /// <param name="model">The vendor's model id.</param>
    /// <returns>Whether it had one.</returns>
    public bool Remove(string model) => _byModel.Remove(model);

    /// <summary>Copies the overrides (each one deeply), so later changes to this instance do not reach the copy.</summary>
    /// <returns>The copy.</returns>
    public PriceOverrides Clone()
    {
        var copy = new PriceOverrides();
        foreach (var (model, price) in _byModel)
        {
            copy._byModel[model] = price.Clone();
        }

        return copy;
    }

    /// <summary>
    /// Reads <c>{path}:{model}</c> entries: a bare number (a flat price per generation) or a section with <c>Price</c>,
    /// <c>Per</c> (<c>Generation</c>, <c>Image</c>, <c>Second</c>, <c>ContinuationSecond</c>), <c>ResolutionMultipliers</c>
    /// (resolution → multiplier), <c>Rates</c> (a list of <c>Price</c>, <c>Per</c> and the settings it applies to) and
    /// <c>MinimumBillableSeconds</c> (duration → seconds). For a vendor billing in US dollars, <c>PriceUsd</c> and
    /// <c>PerSecond</c> (true/false) are read as <c>Price</c> and <c>Per</c> (VeoGen's earlier spelling). AOT-safe: no
    /// reflection binder. What does not parse is skipped and reported by key in <paramref name="errors"/>.
    /// </summary>
    /// <param name="section">The <c>PriceOverrides</c> section.</param>
    /// <param name="path">Its configuration path, named in errors (e.g. <c>MediaGen:VeoGen:PriceOverrides</c>).</param>
    /// <param name="unit">The unit the vendor bills in (named in errors).</param>
    /// <param name="errors">Receives one message per value that does not parse.</param>
    public void Bind(IConfiguration section, string path, MoneyUnit unit, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(errors);
        var amount = unit == MoneyUnit.Usd ? "an amount of US dollars" : unit.IsCredits ? "a number of credits" : $"an amount of {unit}";
        foreach (var model in section.GetChildren())
        {
            var at = $"{path}:{model.Key}";
            var settings = model.GetChildren().ToList();
            if (settings.Count == 0)
            {
                if (Decimal(model.Value) is { } flat)
                {
                    this[model.Key] = flat;
                }
                else if (model.Value is not null)
                {
                    errors.Add($"{at} must be a flat price per generation ({amount}) or a section with {string.Join(", ", Settings)}; got '{model.Value}'.");
                }

                continue;
            }

            var price = new PriceOverride();
            foreach (var setting in settings)
            {
                var name = setting.Key;
                if (Is(name, "Price") || (unit == MoneyUnit.Usd && Is(name, "PriceUsd")))
                {
                    if (Decimal(setting.Value) is { } value)
                    {
                        price.Price = value;
                    }
                    else
                    {
                        errors.Add($"{at}:{name} must be {amount}; got '{setting.Value}'.");
                    }
                }
                else if (Is(name, "Per"))
                {
                    if (Per(setting.Value) is { } per)
                    {
                        price.Per = per;
                    }
                    else
                    {
                        errors.Add($"{at}:Per must be Generation, Image, Second or ContinuationSecond; got '{setting.Value}'.");
                    }
                }
                else if (unit == MoneyUnit.Usd && Is(name, "PerSecond"))
                {
                    if (bool.TryParse(setting.Value, out var perSecond))
                    {
                        price.Per = perSecond ? PricePer.Second : PricePer.Generation;
                    }
                    else
                    {
                        errors.Add($"{at}:PerSecond must be true or false; got '{setting.Value}'.");
                    }
                }
                else if (Is(name, "ResolutionMultipliers"))
                {
                    foreach (var multiplier in setting.GetChildren())
                    {
                        if (Decimal(multiplier.Value) is { } factor)
                        {
                            price.ResolutionMultipliers[multiplier.Key] = factor;
                        }
                        else
                        {
                            errors.Add($"{at}:ResolutionMultipliers:{multiplier.Key} must be a decimal number; got '{multiplier.Value}'.");
                        }
                    }
                }
                else if (Is(name, "MinimumBillableSeconds"))
                {
                    foreach (var floor in setting.GetChildren())
                    {
                        if (Int(floor.Key) is { } duration && Int(floor.Value) is { } seconds)
                        {
                            price.MinimumBillableSeconds[duration] = seconds;
                        }
                        else
                        {
                            errors.Add($"{at}:MinimumBillableSeconds:{floor.Key} must map a duration in whole seconds to whole seconds; got '{floor.Value}'.");
                        }
                    }
                }
                else if (Is(name, "Rates"))
                {
                    foreach (var rate in setting.GetChildren())
                    {
                        if (BindRate(rate, $"{at}:Rates:{rate.Key}", amount, errors) is { } bound)
                        {
                            price.Rates.Add(bound);
                        }
                    }
                }
                else
                {
                    errors.Add($"{at}:{name} is not a price-override setting; use {string.Join(", ", Settings)}.");
                }
            }

            this[model.Key] = price;
        }
    }

    /// <summary>Checks the overrides set in code or bound: messages name the key (<c>{path}:{model}:Price must not be negative …</c>).</summary>
    /// <param name="path">The configuration path of the overrides (e.g. <c>MediaGen:MeiGen:PriceOverrides</c>).</param>
    /// <returns>The failures (empty when valid).</returns>
    public IReadOnlyList<string> Validate(string path)
    {
        var failures = new List<string>();
        foreach (var (model, price) in _byModel)
        {
            if (price is null)
            {
                failures.Add($"{path}:{model} must not be null.");
                continue;
            }

            failures.AddRange(price.Validate($"{path}:{model}"));
        }

        return failures;
    }

    /// <summary>The overrides as the override layer of a <see cref="PriceBook"/>; each rule's reference is <c>{path}:{model}</c>.</summary>
    /// <param name="path">The configuration path of the overrides.</param>
    /// <returns>The layer.</returns>
    public PriceLayer ToLayer(string path) =>
        new(PriceSource.Override, _byModel.SelectMany(e => e.Value.ToRules(e.Key, new PriceProvenance(PriceSource.Override, null, $"{path}:{e.Key}"))));

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, PriceOverride>> GetEnumerator() => _byModel.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static PriceOverrideRate? BindRate(IConfigurationSection rate, string at, string amount, ICollection<string> errors)
    {
        var bound = new PriceOverrideRate();
        var ok = true;
        var hasPrice = false;
        foreach (var setting in rate.GetChildren())
        {
            var name = setting.Key;
            var text = setting.Value;
            var parsed = name switch
            {
                _ when Is(name, "Price") => Set(Decimal(text), v => { bound.Price = v; hasPrice = true; }),
                _ when Is(name, "Per") => Set(Per(text), v => bound.Per = v),
                _ when Is(name, "Tier") => Set(Text(text), v => bound.Tier = v),
                _ when Is(name, "Resolution") => Set(Text(text), v => bound.Resolution = v),
                _ when Is(name, "DurationSeconds") => Set(Int(text), v => bound.DurationSeconds = v),
                _ when Is(name, "Mode") => Set(Text(text), v => bound.Mode = v),
                _ when Is(name, "Quality") => Set(Text(text), v => bound.Quality = v),
                _ when Is(name, "Audio") => Set(Bool(text), v => bound.Audio = v),
                _ when Is(name, "ReferenceVideo") => Set(Bool(text), v => bound.ReferenceVideo = v),
                _ => (bool?)null,
            };
            if (parsed is null)
            {
                errors.Add($"{at}:{name} is not a rate setting; use Price, Per, Tier, Resolution, DurationSeconds, Mode, Quality, Audio or ReferenceVideo.");
                ok = false;
            }
            else if (parsed is false)
            {
                errors.Add($"{at}:{name} {Expected(name, amount)}; got '{text}'.");
                ok = false;
            }
        }

        if (!hasPrice && ok)
        {
            errors.Add($"{at}:Price is missing: a rate needs its price ({amount}).");
            ok = false;
        }

        return ok ? bound : null;
    }

    private static string Expected(string name, string amount) => name switch
    {
        _ when Is(name, "Price") => $"must be {amount}",
        _ when Is(name, "Per") => "must be Generation, Image, Second or ContinuationSecond",
        _ when Is(name, "DurationSeconds") => "must be a whole number of seconds",
        _ when Is(name, "Audio") || Is(name, "ReferenceVideo") => "must be true or false",
        _ => "must not be empty",
    };

    private static bool Set<T>(T? value, Action<T> set)
        where T : struct
    {
        if (value is not { } v)
        {
            return false;
        }

        set(v);
        return true;
    }

    private static bool Set(string? value, Action<string> set)
    {
        if (value is null)
        {
            return false;
        }

        set(value);
        return true;
    }

    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);

    private static decimal? Decimal(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool? Bool(string? text) => bool.TryParse(text, out var value) ? value : null;

    private static string? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static PricePer? Per(string? text) =>
        !string.IsNullOrWhiteSpace(text) && !char.IsAsciiDigit(text.Trim()[0]) && text.Trim()[0] != '-'
        && Enum.TryParse<PricePer>(text.Trim(), ignoreCase: true, out var per) && Enum.IsDefined(per)
            ? per
            : null;
}
