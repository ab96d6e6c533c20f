using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaGen.Testing.Tests.TestSupport;

/// <summary>
/// A tiny vendor: POST /api/generate {"prompt"} charges 1 credit and creates a scripted job; GET /api/jobs/{id} polls
/// it and publishes a PNG when it succeeds; GET /api/ping answers {"pong":true}.
/// </summary>
internal sealed class TestEmulator(string name = "Test", string prefix = "/api") : IVendorEmulator
{
    public const string Unit = "credits";

    private int _handlerRuns;
    private int _nextJob;

    public string Name => name;

    public int HandlerRuns => Volatile.Read(ref _handlerRuns);

    public EmulatorContext? Context { get; private set; }

    public Exception? BaseAddressErrorDuringMap { get; private set; }

    public void Map(IEndpointRouteBuilder routes, EmulatorContext context)
    {
        Context = context;
        try
        {
            _ = context.BaseAddress;
        }
        catch (InvalidOperationException ex)
        {
            BaseAddressErrorDuringMap = ex;
        }

        routes.MapGet(prefix + "/ping", (HttpContext _) =>
        {
            Interlocked.Increment(ref _handlerRuns);
            return Results.Json(new { pong = true, emulator = name });
        });

        routes.MapPost(prefix + "/generate", async (HttpContext http) =>
        {
            Interlocked.Increment(ref _handlerRuns);
            using JsonDocument request = await JsonDocument.ParseAsync(http.Request.Body);
            string prompt = request.RootElement.GetProperty("prompt").GetString()!;
            if (!context.Ledger.TryDebit(Unit, 1m, out decimal balance))
            {
                return Results.Json(new { error = "insufficient_credits", balance }, statusCode: StatusCodes.Status402PaymentRequired);
            }

            string id = $"job_{Interlocked.Increment(ref _nextJob)}";
            ScriptedJob job = context.Jobs.Create(id, prompt);
            context.Ledger.Accept(id, http.Request.Headers["Idempotency-Key"].FirstOrDefault(), 1m, Unit, prompt);
            return Results.Json(new { id, status = ToWire(job.Current.State), balance });
        });

        routes.MapGet(prefix + "/jobs/{id}", (string id) =>
        {
            Interlocked.Increment(ref _handlerRuns);
            if (!context.Jobs.TryGet(id, out ScriptedJob? job))
            {
                return Results.Json(new { error = "not_found" }, statusCode: StatusCodes.Status404NotFound);
            }

            JobSnapshot state = job.Poll();
            Uri? url = null;
            if (state.State == JobState.Succeeded)
            {
                url = context.PublishMedia($"{id}-0.png", SandboxImage.CreatePng(job.Prompt ?? string.Empty, 16, 16), SandboxImage.ContentType);
            }

            return Results.Json(new
            {
                id,
                status = ToWire(state.State),
                progress = state.Progress,
                url = url?.AbsoluteUri,
                error = state.FailureKind?.ToString(),
                message = state.FailureMessage,
            });
        });
    }

    private static string ToWire(JobState state) => state.ToString().ToUpperInvariant();
}
