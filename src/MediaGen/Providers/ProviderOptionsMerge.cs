using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGen.Providers;

/// <summary>
/// Merges a request's provider options (<see cref="GenerationRequest.ProviderOptions"/>) into a vendor's wire object,
/// the same way for every vendor: an option wins over what translation put there (reported
/// <see cref="TranslationAction.Adjusted"/> when it changes the value, <see cref="TranslationAction.Applied"/> otherwise),
/// and each report entry is named <c>ProviderOptions.{provider}.{key}</c>.
/// </summary>
public static class ProviderOptionsMerge
{
    /// <summary>Gets the report and error field name of one provider option: <c>ProviderOptions.{provider}.{key}</c>.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="key">The option's key (a dotted path for nested options).</param>
    /// <returns>The field name.</returns>
    public static string Field(string provider, string key) => $"{nameof(GenerationRequest.ProviderOptions)}.{provider}.{key}";

    /// <summary>Merges the options into <paramref name="target"/> (each value deep-copied), reporting every key.</summary>
    /// <param name="options">The provider's options from the request.</param>
    /// <param name="target">The wire object to merge into.</param>
    /// <param name="report">The translation report.</param>
    /// <param name="provider">The provider name.</param>
    /// <param name="path">The options' path under the provider (e.g. <c>niji7Options</c> for a nested object), or null for the top level.</param>
    /// <param name="dropReason">Returns why a key is not sent (it is then reported dropped), or null to send it.</param>
    /// <param name="handledElsewhere">Keys the translator merges itself (neither sent nor reported here).</param>
    public static void Merge(JsonObject options, JsonObject target, TranslationReport report, string provider, string? path = null, Func<string, JsonNode?, string?>? dropReason = null, Func<string, bool>? handledElsewhere = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        foreach (var (key, value) in options)
        {
            if (handledElsewhere?.Invoke(key) == true)
            {
                continue;
            }

            var field = Field(provider, path is null ? key : $"{path}.{key}");
            if (dropReason?.Invoke(key, value) is { } reason)
            {
                report.Dropped(field, Display(value), reason);
                continue;
            }

            if (target.TryGetPropertyValue(key, out var translated) && translated is not null && !JsonNode.DeepEquals(translated, value))
            {
                report.Adjusted(field, Display(translated), Display(value), $"the {provider} provider option wins over the translated setting");
            }
            else
            {
                report.Applied(field, Display(value));
            }

            target[key] = value?.DeepClone();
        }
    }

    /// <summary>A short display form of a JSON value: strings unquoted, everything else as JSON.</summary>
    /// <param name="node">The value.</param>
    /// <returns>The text, or null for JSON null.</returns>
    public static string? Display(JsonNode? node) =>
        node is null ? null : node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node.ToJsonString();
}
