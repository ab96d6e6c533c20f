using Microsoft.AspNetCore.Routing;

namespace MediaGen.Testing;

/// <summary>
/// One vendor's emulated API, plugged into an <see cref="EmulatorHost"/>. Implementations map the vendor's routes
/// (same paths, headers, status codes and JSON as the real service) and use the <see cref="EmulatorContext"/> for
/// jobs, billing, clock and media.
/// </summary>
public interface IVendorEmulator
{
    /// <summary>Gets the vendor's name, such as <c>MeiGen</c>; used in logger categories and diagnostics.</summary>
    string Name { get; }

    /// <summary>Maps the vendor's endpoints. Called once, before the host starts listening.</summary>
    /// <param name="routes">The route builder to map endpoints on, such as <c>routes.MapPost("/api/generate/v2", …)</c>.</param>
    /// <param name="context">The host's shared services; keep it for use in handlers (its <see cref="EmulatorContext.BaseAddress"/> is only available once the host has started).</param>
    void Map(IEndpointRouteBuilder routes, EmulatorContext context);
}
