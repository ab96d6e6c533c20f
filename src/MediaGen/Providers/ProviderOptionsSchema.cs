using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MediaGen.Providers;

/// <summary>A problem with one setting, named by its key under the provider's section (<c>ApiKey</c>, <c>PriceOverrides:sora-2</c>).</summary>
/// <param name="Key">The key under the provider's section.</param>
/// <param name="Message">What is wrong, written to follow the key (<c>must be positive; got -1.</c>).</param>
public readonly record struct OptionsProblem(string Key, string Message);

/// <summary>
/// How a provider's options are read from configuration and checked, written once in the core so every vendor does it
/// the same way: the vendor's source-generated configuration binder (<see cref="Bind"/>), its source-generated
/// DataAnnotations validator (<see cref="Validator"/>, an <c>[OptionsValidator]</c> class) and one hand-written check for
/// what attributes cannot say (<see cref="Check"/>). Every message starts with the setting's real configuration path
/// (<c>MediaGen:MeiGen:ApiKey is required: …</c>), the section the options were bound from, or <see cref="SectionName"/>
/// for options given in code. Register the provider with
/// <see cref="MediaGenBuilder.AddProvider{TOptions}"/>.
/// </summary>
/// <remarks>
/// Write DataAnnotations messages to follow the key, without <c>{0}</c>: <c>[Required(ErrorMessage = "is required: …")]</c>.
/// A configuration value that does not parse is reported under its path (<c>MediaGen:VeoGen:RequestsPerMinute must be a
/// whole number; got 'lots'.</c>) together with every other problem, and is not applied.
/// </remarks>
/// <typeparam name="TOptions">The provider's options.</typeparam>
public sealed class ProviderOptionsSchema<TOptions>
    where TOptions : class, new()
{
    private const string PriceOverridesKey = "PriceOverrides";

    /// <summary>Gets the vendor's display name, for <c>Invalid {name} options: …</c>.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Gets the conventional configuration section (<c>MediaGen:MeiGen</c>), named in messages about options given in code.</summary>
    public required string SectionName { get; init; }

    /// <summary>
    /// Gets the binder: <c>static (section, options) =&gt; section.Bind(options)</c>, written in the provider's assembly with
    /// <c>EnableConfigurationBindingGenerator</c> on, so the call is the source-generated (AOT-safe) binder's.
    /// </summary>
    public required Action<IConfiguration, TOptions> Bind { get; init; }

    /// <summary>Gets the DataAnnotations validator (the provider's source-generated <c>[OptionsValidator]</c> class).</summary>
    public required IValidateOptions<TOptions> Validator { get; init; }

    /// <summary>Gets the rules attributes cannot state (time spans, dictionary entries, settings that depend on each other), or null.</summary>
    public Func<TOptions, IEnumerable<OptionsProblem>>? Check { get; init; }

    /// <summary>
    /// Gets configuration keys that were renamed (old key → new key, both under the provider's section). A renamed key
    /// fails at start naming the new one, instead of being silently ignored.
    /// </summary>
    public IReadOnlyDictionary<string, string> RenamedKeys { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Gets a check of the configuration text itself, for what binding cannot see (a removed key, a required key whose
    /// absence binds as a default), or null.
    /// </summary>
    public Func<IConfigurationSection, IEnumerable<OptionsProblem>>? CheckConfiguration { get; init; }

    /// <summary>
    /// Gets the options' <see cref="MediaGen.PriceOverrides"/>, or null for options without them. They are bound from
    /// <c>{section}:PriceOverrides</c> by <see cref="MediaGen.PriceOverrides.Bind"/> (every unreadable value reported by its
    /// path) and checked by <see cref="MediaGen.PriceOverrides.Validate"/>, the same way at every vendor.
    /// </summary>
    public Func<TOptions, PriceOverrides>? PriceOverrides { get; init; }

    /// <summary>Gets the unit the vendor bills in, named in price-override messages (US dollars unless set).</summary>
    public MoneyUnit PriceUnit { get; init; } = MoneyUnit.Usd;

    /// <summary>Validates options: the DataAnnotations validator, then <see cref="Check"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="path">The configuration path to name (<see cref="SectionName"/> when null).</param>
    /// <returns>Every problem, each starting with its configuration path; empty when valid.</returns>
    public IReadOnlyList<string> Validate(TOptions options, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        path ??= SectionName;
        var failures = new List<string>();
        var annotations = Validator.Validate(Options.DefaultName, options);
        if (annotations.Failed)
        {
            foreach (var failure in annotations.Failures)
            {
                failures.Add(Locate(failure, path));
            }
        }

        if (Check is not null)
        {
            foreach (var problem in Check(options))
            {
                failures.Add(Format(path, problem));
            }
        }

        if (PriceOverrides is not null)
        {
            failures.AddRange(PriceOverrides(options).Validate($"{path}:{PriceOverridesKey}"));
        }

        return failures;
    }

    /// <summary>Throws when the options are invalid (<see cref="Validate"/>), for a provider's <c>Create</c>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="paramName">The parameter the options came in.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names every bad setting.</exception>
    public void ThrowIfInvalid(TOptions options, string paramName)
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        var failures = Validate(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException($"Invalid {DisplayName} options: {string.Join(" ", failures)}", paramName);
        }
    }

    /// <summary>
    /// Finds the provider's section in what a caller passed: the provider's own section (<c>…:MeiGen</c>), its parent
    /// (<c>MediaGen</c>, whose child is taken) or a configuration root (whose <see cref="SectionName"/> is taken); any other
    /// section is taken as the provider's own.
    /// </summary>
    internal IConfigurationSection Resolve(IConfiguration configuration)
    {
        var split = SectionName.LastIndexOf(':');
        var own = SectionName[(split + 1)..];
        var parent = split < 0 ? null : SectionName[..split];
        var parentKey = parent?[(parent.LastIndexOf(':') + 1)..];
        return configuration switch
        {
            IConfigurationSection section when string.Equals(section.Key, own, StringComparison.OrdinalIgnoreCase) => section,
            IConfigurationSection section when string.Equals(section.Key, parentKey, StringComparison.OrdinalIgnoreCase) => section.GetSection(own),
            IConfigurationSection section => section,
            _ => configuration.GetSection(SectionName),
        };
    }

    /// <summary>Binds a section into the options, returning what could not be applied (renamed keys, unparsable values, the configuration check).</summary>
    internal List<string> BindFrom(IConfigurationSection section, TOptions options)
    {
        var problems = new List<string>();
        foreach (var (old, renamed) in RenamedKeys)
        {
            if (section.GetSection(old).Exists())
            {
                problems.Add($"{section.Path}:{old} was renamed: use {section.Path}:{renamed} (the old key is no longer read).");
            }
        }

        var refusedPrices = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (CheckConfiguration is not null)
        {
            foreach (var problem in CheckConfiguration(section))
            {
                problems.Add(Format(section.Path, problem));
                if (problem.Key.StartsWith($"{PriceOverridesKey}:", StringComparison.OrdinalIgnoreCase))
                {
                    refusedPrices.Add(problem.Key[(PriceOverridesKey.Length + 1)..].Split(':')[0]);
                }
            }
        }

        problems.AddRange(ConfigurationValues.Bind(section, options, Bind));
        if (PriceOverrides is not null)
        {
            var prices = PriceOverrides(options);
            prices.Bind(section.GetSection(PriceOverridesKey), $"{section.Path}:{PriceOverridesKey}", PriceUnit, problems);
            foreach (var model in refusedPrices)
            {
                prices.Remove(model); // reported by the configuration check already: not applied, not reported twice
            }
        }

        return problems;
    }

    private static string Format(string path, OptionsProblem problem) => $"{path}:{problem.Key} {problem.Message}";

    /// <summary>DataAnnotations failures read <c>{Member}: {message}</c>; the member becomes its configuration key.</summary>
    private static string Locate(string failure, string path)
    {
        var colon = failure.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && !failure.AsSpan(0, colon).ContainsAny(' ', ','))
        {
            return $"{path}:{failure[..colon]} {failure[(colon + 2)..]}";
        }

        return $"{path}: {failure}";
    }
}
