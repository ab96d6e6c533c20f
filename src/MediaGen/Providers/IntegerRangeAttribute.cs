using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace MediaGen.Providers;

/// <summary>
/// A whole-number setting's allowed range, for provider options validated by a source-generated <c>[OptionsValidator]</c>:
/// the message says the range, an optional hint and the value given (<c>must be 1–100 (VeoGen's maximum is 100); got 101.</c>).
/// A null value (an optional setting left unset) is valid.
/// </summary>
/// <remarks>
/// Used instead of <see cref="RangeAttribute"/>, whose source-generated replacement drops <c>ErrorMessage</c>
/// (dotnet/runtime#123137) and could not name the value anyway.
/// </remarks>
/// <param name="minimum">The smallest allowed value.</param>
/// <param name="maximum">The largest allowed value (no upper bound when omitted).</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class IntegerRangeAttribute(long minimum, long maximum = long.MaxValue) : ValidationAttribute
{
    /// <summary>Gets the smallest allowed value.</summary>
    public long Minimum { get; } = minimum;

    /// <summary>Gets the largest allowed value.</summary>
    public long Maximum { get; } = maximum;

    /// <summary>Gets or sets what to add in parentheses (the vendor's documented limit, what 0 means).</summary>
    public string? Hint { get; set; }

    /// <inheritdoc/>
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is null)
        {
            return ValidationResult.Success;
        }

        var number = value switch
        {
            int i => i,
            long l => l,
            short s => s,
            byte b => b,
            _ => (long?)null,
        };
        if (number is { } n && n >= Minimum && n <= Maximum)
        {
            return ValidationResult.Success;
        }

        var range = Maximum == long.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"at least {Minimum}")
            : string.Create(CultureInfo.InvariantCulture, $"{Minimum}–{Maximum}");
        var message = string.Create(CultureInfo.InvariantCulture, $"must be {range}{(Hint is null ? string.Empty : $" ({Hint})")}; got {value}.");
        return validationContext.MemberName is { } member ? new ValidationResult(message, [member]) : new ValidationResult(message);
    }
}
