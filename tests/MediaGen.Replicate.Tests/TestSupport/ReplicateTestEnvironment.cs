using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Replicate;

namespace MediaGen.Replicate.Tests.TestSupport;

/// <summary>A Replicate emulator on a rig and the provider pointed at it (<c>rig.Generator</c>), sharing one fake clock.</summary>
internal static class ReplicateTestEnvironment
{
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    public static Task<VendorRig<ReplicateEmulator>> StartAsync(Action<ReplicateOptions>? configure = null, ReplicateEmulatorOptions? emulator = null) =>
        VendorRig.StartAsync(
            new ReplicateEmulator(emulator),
            rig =>
            {
                var options = new ReplicateOptions
                {
                    ApiKey = rig.ApiKey,
                    BaseAddress = rig.ProviderBaseAddress,
                    WebhookSigningSecret = rig.Emulator.Options.WebhookSecret,
                };
                configure?.Invoke(options);
                return ReplicateProvider.Create(options, rig.Http, rig.Time);
            },
            new VendorRigOptions { StartTime = Start });
}
