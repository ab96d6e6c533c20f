namespace MediaGen.Testing.Internal;

/// <summary>Marks an endpoint an emulator mapped, naming the emulator (so recorded requests and faults know their vendor).</summary>
internal sealed record EmulatorEndpointMetadata(string Name);

/// <summary>Marks an endpoint the host's owner mapped next to the emulators (<see cref="EmulatorHostOptions.MapEndpoints"/>): it is neither recorded nor faulted.</summary>
internal sealed class HostEndpointMetadata
{
    public static readonly HostEndpointMetadata Instance = new();
}
