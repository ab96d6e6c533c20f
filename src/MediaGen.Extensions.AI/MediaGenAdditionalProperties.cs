namespace MediaGen.Extensions.AI;

/// <summary>
/// The <c>mediagen.*</c> keys the adapters read from and write to Microsoft.Extensions.AI
/// <c>AdditionalProperties</c> dictionaries.
/// </summary>
/// <remarks>
/// <para>
/// Settings keys (<see cref="AspectRatio"/> … <see cref="Strict"/>) carry the <see cref="GenerationRequest"/> settings
/// that <c>ImageGenerationOptions</c> has no property for. The MediaGen-backed <c>IImageGenerator</c> reads them
/// from <c>ImageGenerationOptions.AdditionalProperties</c>; an <c>IImageGenerator</c> used as a MediaGen provider
/// writes them there when <see cref="ImageGeneratorProviderOptions.CarryUnmappedSettings"/> is set. An unknown
/// <c>mediagen.*</c> key is refused, so a typo never goes unnoticed.
/// </para>
/// <para>
/// Result keys (<see cref="Job"/> … <see cref="OptionsReport"/>) are set on every content of a response from the
/// MediaGen-backed <c>IImageGenerator</c>. Their values are strings and numbers only, so the response stays
/// serializable; the typed job is the response's <c>RawRepresentation</c>.
/// </para>
/// </remarks>
public static class MediaGenAdditionalProperties
{
    /// <summary>The prefix of every MediaGen key: <c>mediagen.</c>.</summary>
    public const string Prefix = "mediagen.";

    /// <summary>Setting: the aspect ratio (<c>auto</c>, <c>adaptive</c> or <c>W:H</c>), a string.</summary>
    public const string AspectRatio = "mediagen.aspect_ratio";

    /// <summary>Setting: the resolution (e.g. <c>2K</c>), a string.</summary>
    public const string Resolution = "mediagen.resolution";

    /// <summary>Setting: the video duration in whole seconds, a number.</summary>
    public const string DurationSeconds = "mediagen.duration_seconds";

    /// <summary>Setting: the tier (<c>mini</c>, <c>fast</c>, <c>pro</c>), a string.</summary>
    public const string Tier = "mediagen.tier";

    /// <summary>Setting: the quality (e.g. <c>high</c>), a string.</summary>
    public const string Quality = "mediagen.quality";

    /// <summary>Setting: the random seed, a whole number.</summary>
    public const string Seed = "mediagen.seed";

    /// <summary>Setting: the style preset, a string.</summary>
    public const string Style = "mediagen.style";

    /// <summary>Setting: the generation mode, a string.</summary>
    public const string Mode = "mediagen.mode";

    /// <summary>Setting: how reference images are read (<c>content</c> or <c>style</c>), a string.</summary>
    public const string ReferenceMode = "mediagen.reference_mode";

    /// <summary>Setting: the idempotency key of the logical request, a string.</summary>
    public const string IdempotencyKey = "mediagen.idempotency_key";

    /// <summary>Setting: whether any adjusted or dropped setting refuses the request, a Boolean.</summary>
    public const string Strict = "mediagen.strict";

    /// <summary>Result: the job handle (<c>provider:vendorId</c>), a string; resume it with <see cref="JobHandle.Parse"/>.</summary>
    public const string Job = "mediagen.job";

    /// <summary>Result: the provider that ran the job (the vendor the router chose), a string.</summary>
    public const string Provider = "mediagen.provider";

    /// <summary>Result: the vendor model the job ran on, a string (absent when unknown).</summary>
    public const string Model = "mediagen.model";

    /// <summary>Result: what the vendor charged for the whole job (not per image), a decimal (absent when it did not say).</summary>
    public const string Charge = "mediagen.charge";

    /// <summary>Result: the unit of <see cref="Charge"/> (<c>USD</c> or <c>credits:{provider}</c>), a string.</summary>
    public const string ChargeUnit = "mediagen.charge_unit";

    /// <summary>Result: the price quoted before submitting, for the whole job, a decimal (absent when unknown).</summary>
    public const string Quote = "mediagen.quote";

    /// <summary>Result: the unit of <see cref="Quote"/>, a string.</summary>
    public const string QuoteUnit = "mediagen.quote_unit";

    /// <summary>Result: the quoted price in US dollars, a decimal (absent when the price or the credit rate is unknown).</summary>
    public const string QuoteUsd = "mediagen.quote_usd";

    /// <summary>Result: what the output is when the vendor distinguishes (e.g. <c>grid</c>), a string.</summary>
    public const string Role = "mediagen.role";

    /// <summary>Result: the provider's translation report (every setting applied, adjusted or dropped), a string.</summary>
    public const string Translation = "mediagen.translation";

    /// <summary>
    /// Result: what the adapter did with each <c>ImageGenerationOptions</c> setting on the way into MediaGen
    /// (e.g. an image size turned into an aspect ratio, a media type that cannot be asked for), a string.
    /// </summary>
    public const string OptionsReport = "mediagen.options_report";

    /// <summary>Gets the settings keys the adapters understand.</summary>
    public static IReadOnlyList<string> SettingKeys { get; } =
        [AspectRatio, Resolution, DurationSeconds, Tier, Quality, Seed, Style, Mode, ReferenceMode, IdempotencyKey, Strict];
}
