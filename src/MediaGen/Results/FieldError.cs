namespace MediaGen;

/// <summary>One invalid setting: the field's name (as on <see cref="GenerationRequest"/> or the vendor's wire name) and what is wrong.</summary>
/// <param name="Field">The field, e.g. <c>DurationSeconds</c> or <c>ReferenceImages[1]</c>.</param>
/// <param name="Message">What is wrong and what is accepted.</param>
public sealed record FieldError(string Field, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Field}: {Message}";
}
