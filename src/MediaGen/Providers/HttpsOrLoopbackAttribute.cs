using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace MediaGen.Providers;

/// <summary>
/// The one address rule MediaGen applies to every vendor base address and webhook URL: an absolute <c>https</c> URL, or
/// plain <c>http</c> only to a loopback host (<c>127.0.0.1</c>, <c>[::1]</c>, <c>localhost</c>: a local test server or
/// emulator). Anything else would send an API key or a paid request unencrypted over a network. A null address is invalid.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class HttpsOrLoopbackAttribute : ValidationAttribute
{
    /// <summary>Creates the attribute with MediaGen's message (the caller's key is put in front of it).</summary>
    public HttpsOrLoopbackAttribute()
        : base("must be an absolute https URL (plain http only for a loopback test server such as http://127.0.0.1:5000/)")
    {
    }

    /// <summary>Gets whether an address follows the rule.</summary>
    /// <param name="address">The address.</param>
    /// <returns>True for an absolute https URL, or http to a loopback host.</returns>
    public static bool IsAllowed([NotNullWhen(true)] Uri? address) =>
        address is { IsAbsoluteUri: true }
        && (address.Scheme == Uri.UriSchemeHttps || (address.Scheme == Uri.UriSchemeHttp && address.IsLoopback));

    /// <inheritdoc/>
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is Uri address && IsAllowed(address))
        {
            return ValidationResult.Success;
        }

        var message = $"{FormatErrorMessage(validationContext.DisplayName)}; got '{value}'.";
        return validationContext.MemberName is { } member ? new ValidationResult(message, [member]) : new ValidationResult(message);
    }
}
