using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace MediaGen.Providers;

/// <summary>
/// Runs a provider's source-generated configuration binder so that a value which does not parse is reported by its
/// path, with every other bad value, instead of one exception for the first: the generated binder stops at the first
/// value it cannot convert. When a bind fails, each configured value is bound alone to find the bad ones, and the
/// options are then bound from a view of the section without them.
/// </summary>
internal static class ConfigurationValues
{
    public static List<string> Bind<TOptions>(IConfigurationSection section, TOptions target, Action<IConfiguration, TOptions> bind)
        where TOptions : class, new()
    {
        var problems = new List<string>();
        IConfigurationSection source = section;

        // Into a scratch instance first, so a value that does not parse cannot leave the real options half bound.
        if (Fails(section, new TOptions(), bind) is { } first)
        {
            var bad = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var value in Values(section))
            {
                var path = value.Path;
                if (Fails(new FilteredSection(section, p => string.Equals(p, path, StringComparison.OrdinalIgnoreCase)), new TOptions(), bind) is { } failure)
                {
                    bad.Add(path);
                    problems.Add($"{path} must be {Expected(failure)}; got '{value.Value}'.");
                }
            }

            if (bad.Count == 0)
            {
                // The values parse alone but not together (not seen with the generated binder): say what it said.
                problems.Add($"{section.Path} could not be bound: {first.Message}");
                return problems;
            }

            source = new FilteredSection(section, p => !bad.Contains(p));
        }

        if (Fails(source, target, bind) is { } last)
        {
            problems.Add($"{section.Path} could not be bound: {last.Message}");
        }

        return problems;
    }

    /// <summary>Gets what a value should have been, from the binder's "Failed to convert … to type 'System.Int32'."</summary>
    internal static string Expected(InvalidOperationException failure)
    {
        const string Marker = " to type '";
        var message = failure.Message;
        var at = message.LastIndexOf(Marker, StringComparison.Ordinal);
        var type = at < 0 ? null : message[(at + Marker.Length)..].TrimEnd('.').TrimEnd('\'');
        return type switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.Byte" or "System.UInt32" or "System.UInt64" or "System.UInt16" or "System.SByte" => "a whole number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a time span such as 00:05:00",
            "System.Decimal" or "System.Double" or "System.Single" => "a number such as 0.25",
            "System.Uri" => "a URL",
            "System.DateTimeOffset" or "System.DateTime" => "a date and time such as 2026-01-31T12:00:00Z",
            null => "a value MediaGen can read",
            _ => $"a {type}",
        };
    }

    private static InvalidOperationException? Fails<TOptions>(IConfigurationSection section, TOptions options, Action<IConfiguration, TOptions> bind)
    {
        try
        {
            bind(section, options);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }

    private static IEnumerable<IConfigurationSection> Values(IConfiguration configuration)
    {
        foreach (var child in configuration.GetChildren())
        {
            if (child.Value is not null)
            {
                yield return child;
            }

            foreach (var value in Values(child))
            {
                yield return value;
            }
        }
    }

    /// <summary>A read-only view of a section that shows only the values whose path <c>keep</c> accepts.</summary>
    private sealed class FilteredSection(IConfigurationSection inner, Func<string, bool> keep) : IConfigurationSection
    {
        public string Key => inner.Key;

        public string Path => inner.Path;

        public string? Value
        {
            get => inner.Value is { } value && keep(inner.Path) ? value : null;
            set => throw new NotSupportedException("A filtered configuration view is read-only.");
        }

        public string? this[string key]
        {
            get => GetSection(key).Value;
            set => throw new NotSupportedException("A filtered configuration view is read-only.");
        }

        public IConfigurationSection GetSection(string key) => new FilteredSection(inner.GetSection(key), keep);

        public IEnumerable<IConfigurationSection> GetChildren() =>
            inner.GetChildren().Select(child => new FilteredSection(child, keep)).Where(child => child.Shows());

        public IChangeToken GetReloadToken() => inner.GetReloadToken();

        private bool Shows() => Value is not null || GetChildren().Any();
    }
}
