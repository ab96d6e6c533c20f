using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using MediaGen.Serialization;

namespace MediaGen;

/// <summary>
/// Identifies a submitted job so any process can resume it: provider, vendor job id, model, idempotency key and
/// submission time. Its string form <c>provider:vendorId</c> (e.g. <c>meigen:550e8400-…</c>) and its JSON form
/// both round-trip. Equality is by provider and vendor id.
/// </summary>
[JsonConverter(typeof(JobHandleJsonConverter))]
public sealed class JobHandle : IEquatable<JobHandle>
{
    /// <summary>Creates a handle.</summary>
    /// <param name="provider">The provider name (lower case, no colon).</param>
    /// <param name="vendorJobId">The vendor's job id.</param>
    public JobHandle(string provider, string vendorJobId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(vendorJobId);
        if (provider.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("A provider name cannot contain ':'.", nameof(provider));
        }

        Provider = provider.Trim().ToLowerInvariant();
        VendorJobId = vendorJobId.Trim();
    }

    /// <summary>Gets the provider name, e.g. <c>meigen</c>.</summary>
    public string Provider { get; }

    /// <summary>Gets the vendor's job id.</summary>
    public string VendorJobId { get; }

    /// <summary>Gets the vendor model the job runs on, when known.</summary>
    public ModelId? Model { get; init; }

    /// <summary>Gets the idempotency key the submit carried, when known.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets when the job was submitted, when known.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>Gets the media kind the job produces, when known (picks the default wait deadline).</summary>
    public MediaKind? Kind { get; init; }

    /// <summary>
    /// Gets the request's settings that change how long the job takes, when known: its resolution and duration as the caller
    /// set them (e.g. <c>1080p/10s</c>; set at submit by providers built on the core pipeline). <see cref="PollingLearner"/>
    /// learns each variant of a model separately. Not part of equality.
    /// </summary>
    public string? Variant { get; init; }

    /// <summary>A copy with another <see cref="Variant"/>.</summary>
    internal JobHandle WithVariant(string? variant) => new(Provider, VendorJobId)
    {
        Model = Model,
        IdempotencyKey = IdempotencyKey,
        SubmittedAt = SubmittedAt,
        Kind = Kind,
        Variant = variant,
    };

    /// <summary>Parses <c>provider:vendorId</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="FormatException">The text is not a handle.</exception>
    public static JobHandle Parse(string text) =>
        TryParse(text, out var handle) ? handle : throw new FormatException($"'{text}' is not a job handle; expected 'provider:jobId', e.g. 'acme:550e8400-e29b-41d4-a716-446655440000'.");

    /// <summary>Tries to parse <c>provider:vendorId</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="handle">The handle.</param>
    /// <returns>Whether the text is a handle.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out JobHandle? handle)
    {
        handle = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1 || string.IsNullOrWhiteSpace(text[..colon]) || string.IsNullOrWhiteSpace(text[(colon + 1)..]))
        {
            return false;
        }

        handle = new JobHandle(text[..colon], text[(colon + 1)..]);
        return true;
    }

    /// <summary>Formats as <c>provider:vendorId</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Provider}:{VendorJobId}";

    /// <inheritdoc/>
    public bool Equals([NotNullWhen(true)] JobHandle? other) =>
        other is not null && Provider == other.Provider && string.Equals(VendorJobId, other.VendorJobId, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as JobHandle);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Provider, StringComparer.Ordinal.GetHashCode(VendorJobId));

    /// <summary>Compares two handles.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator ==(JobHandle? left, JobHandle? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two handles.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator !=(JobHandle? left, JobHandle? right) => !(left == right);
}
