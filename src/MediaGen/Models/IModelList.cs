namespace MediaGen;

/// <summary>
/// The models a generator serves, offered through <see cref="IMediaGenerator.GetService"/>. Read it with the
/// <see cref="MediaGeneratorExtensions.GetModelsAsync"/> and <see cref="MediaGeneratorExtensions.FindModelAsync"/> extensions.
/// </summary>
public interface IModelList
{
    /// <summary>Lists the models, with their capabilities.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The models.</returns>
    ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(CancellationToken cancellationToken = default);
}
