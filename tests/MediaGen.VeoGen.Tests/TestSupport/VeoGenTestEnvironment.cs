using MediaGen.Testing;
using MediaGen.Testing.Emulators;

namespace MediaGen.VeoGen.Tests.TestSupport;

/// <summary>A VeoGen emulator on a rig and the provider pointed at it (<c>rig.Generator</c>), sharing one fake clock.</summary>
internal static class VeoGenTestEnvironment
{
    public static Task<VendorRig<VeoGenEmulator>> StartAsync(Action<VeoGenOptions>? configure = null) =>
        VendorRig.StartAsync(
            new VeoGenEmulator(),
            rig =>
            {
                var options = new VeoGenOptions { ApiKey = rig.ApiKey, BaseAddress = rig.ProviderBaseAddress };
                configure?.Invoke(options);
                return VeoGenProvider.Create(options, rig.Http, rig.Time);
            },
            new VendorRigOptions { StartTime = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero) });

    /// <summary>The provider's VeoGen client (account, balance, generation lists).</summary>
    extension(VendorRig<VeoGenEmulator> rig)
    {
        public VeoGenClient Client => rig.Generator.GetService<VeoGenClient>()!;
    }
}
