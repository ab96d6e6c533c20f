using Microsoft.AspNetCore.Http;

namespace MediaGen.Testing;

/// <summary>
/// The API keys an emulator accepts and where a request carries its key, as the vendor documents it
/// (<c>Authorization: Bearer …</c> or a header such as <c>X-API-Key</c>). Every emulator is configured the same way:
/// <c>emulator.ApiKeys.Accepted.Add(key)</c>, <c>emulator.ApiKeys.Inactive.Add(key)</c>.
/// </summary>
/// <remarks>
/// One rule for every emulator: while <see cref="Accepted"/> is empty (the default), any key of the vendor's documented
/// form is accepted (<see cref="DocumentedPrefix"/>: MeiGen <c>meigen_sk_…</c>, Apiframe <c>afk_…</c>, VeoGen any
/// non-empty bearer token), so the vendors' own curl examples, placeholder keys and all, work against an emulator as
/// written. Give the emulator a key set (<c>ApiKeys.Accepted.Add(key)</c>) and only those keys are accepted. A key in
/// <see cref="Inactive"/> is refused as inactive (403 where the vendor documents an inactive key, otherwise like an
/// unknown key).
/// </remarks>
public sealed class EmulatorApiKeys
{
    private const string BearerPrefix = "Bearer ";
    private readonly Func<string, bool> _hasVendorShape;

    /// <summary>Creates the keys of a vendor whose keys are documented as starting with <paramref name="documentedPrefix"/>.</summary>
    internal EmulatorApiKeys(string headerName, bool bearer, string documentedPrefix)
        : this(headerName, bearer, key => key.Length > documentedPrefix.Length && key.StartsWith(documentedPrefix, StringComparison.Ordinal))
    {
        DocumentedPrefix = documentedPrefix;
    }

    internal EmulatorApiKeys(string headerName, bool bearer, Func<string, bool>? hasVendorShape, params string[] accepted)
    {
        HeaderName = headerName;
        IsBearer = bearer;
        _hasVendorShape = hasVendorShape ?? (key => key.Length > 0);
        Accepted = new HashSet<string>(accepted, StringComparer.Ordinal);
    }

    /// <summary>Gets the request header that carries the key, such as <c>Authorization</c> or <c>X-API-Key</c>.</summary>
    public string HeaderName { get; }

    /// <summary>Gets whether the key is sent as <c>Authorization: Bearer {key}</c> rather than as the header's whole value.</summary>
    public bool IsBearer { get; }

    /// <summary>Gets the prefix every key of the vendor's documented form starts with, such as <c>meigen_sk_</c>; empty when the vendor documents any non-empty key.</summary>
    public string DocumentedPrefix { get; } = string.Empty;

    /// <summary>Gets the keys accepted; when empty (the default), any key of the vendor's documented form is accepted.</summary>
    public ISet<string> Accepted { get; }

    /// <summary>Gets keys that exist but are inactive: refused even when they are also in <see cref="Accepted"/>.</summary>
    public ISet<string> Inactive { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Puts <paramref name="key"/> on a request the way this emulator reads it (for curl-style tests of the emulator itself).</summary>
    /// <param name="request">The request.</param>
    /// <param name="key">The key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or <paramref name="key"/> is <see langword="null"/>.</exception>
    public void Authorize(HttpRequestMessage request, string key)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        request.Headers.Remove(HeaderName);
        request.Headers.TryAddWithoutValidation(HeaderName, IsBearer ? BearerPrefix + key : key);
    }

    /// <summary>Reads and checks the key a request carries.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The verdict and the key read (empty when none).</returns>
    internal ApiKeyCheck Check(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0)
        {
            return new(ApiKeyVerdict.Missing, string.Empty);
        }

        string value = values.ToString();
        string key;
        if (IsBearer)
        {
            // A sent Authorization header without a bearer key is a bad key, not a missing one.
            key = value.StartsWith(BearerPrefix, StringComparison.Ordinal) ? value[BearerPrefix.Length..].Trim() : string.Empty;
            if (key.Length == 0)
            {
                return new(ApiKeyVerdict.Invalid, string.Empty);
            }
        }
        else
        {
            key = values.FirstOrDefault() ?? string.Empty;
            if (key.Length == 0)
            {
                return new(ApiKeyVerdict.Missing, string.Empty);
            }
        }

        if (Inactive.Contains(key))
        {
            return new(ApiKeyVerdict.Inactive, key);
        }

        bool valid = Accepted.Count > 0 ? Accepted.Contains(key) : _hasVendorShape(key);
        return new(valid ? ApiKeyVerdict.Valid : ApiKeyVerdict.Invalid, key);
    }
}

/// <summary>What <see cref="EmulatorApiKeys.Check"/> found.</summary>
internal enum ApiKeyVerdict
{
    /// <summary>The request carries no key.</summary>
    Missing,

    /// <summary>The key is not accepted.</summary>
    Invalid,

    /// <summary>The key is inactive.</summary>
    Inactive,

    /// <summary>The key is accepted.</summary>
    Valid,
}

/// <summary>A verdict and the key it is about.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Key">The key read; empty when none.</param>
internal readonly record struct ApiKeyCheck(ApiKeyVerdict Verdict, string Key)
{
    public bool IsValid => Verdict == ApiKeyVerdict.Valid;
}
