namespace MediaGen.MeiGen;

/// <summary>MeiGen-specific settings on a <see cref="GenerationRequest"/>, kept in its <c>meigen</c> provider options.</summary>
public static class MeiGenRequestExtensions
{
    /// <summary>The provider-options key of the Midjourney options object on the wire.</summary>
    public const string MidjourneyOptionsField = "niji7Options";

    /// <summary>
    /// Sets the Midjourney options (<c>niji7Options</c>) in the request's <c>meigen</c> provider options, replacing
    /// any earlier ones. Other vendors never see them.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="options">The options.</param>
    /// <returns>The same request.</returns>
    public static GenerationRequest WithMeiGenMidjourneyOptions(this GenerationRequest request, MeiGenMidjourneyOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (request.GetProviderOptions(MeiGenProvider.Name) is not { } bag)
        {
            bag = [];
            request.ProviderOptions[MeiGenProvider.Name] = bag;
        }

        bag[MidjourneyOptionsField] = options.ToJsonObject();
        return request;
    }
}
