namespace MediaGen.Testing;

/// <summary>
/// What a client needs to call an emulated vendor API: where a provider's base address points on a host, the path of
/// the paid submit, and the keys. The three built-in emulators implement it, so test rigs never hard-code
/// <c>api/</c>, <c>api/v1/</c> or submit paths.
/// </summary>
public interface IEmulatedApi : IVendorEmulator
{
    /// <summary>Gets the path of the paid submit (the image generation POST), such as <c>/api/generate/v2</c>.</summary>
    string SubmitPath { get; }

    /// <summary>Gets whether a request path is one of the emulator's paid submits; by default, <see cref="SubmitPath"/> (ignoring case).</summary>
    /// <param name="path">The request path, such as <c>/v1/models/google/nano-banana/predictions</c>.</param>
    /// <returns><see langword="true"/> when a POST to <paramref name="path"/> is a paid submit.</returns>
    bool IsPaidSubmit(string path) => string.Equals(path, SubmitPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets the API key the emulator accepts by default.</summary>
    string DefaultApiKey { get; }

    /// <summary>Gets the keys the emulator accepts, and where requests carry them.</summary>
    EmulatorApiKeys ApiKeys { get; }

    /// <summary>Gets the address to configure as the provider's base address when this emulator runs on <paramref name="host"/>.</summary>
    /// <param name="host">The running host.</param>
    /// <returns>The address, such as <c>http://127.0.0.1:54321/api/v1/</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is <see langword="null"/>.</exception>
    Uri ProviderBaseAddress(EmulatorHost host);
}
