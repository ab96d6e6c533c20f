namespace MediaGen.Testing;

/// <summary>
/// A job accepted by a vendor emulator, whose state follows a <see cref="JobScript"/>. The emulator calls
/// <see cref="Poll"/> on every status request; tests can force the outcome with <see cref="Complete"/> or
/// <see cref="Fail"/>. Thread-safe.
/// </summary>
public sealed class ScriptedJob
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private int _pollCount;
    private int _progress;
    private JobSnapshot? _terminal;
    private DateTimeOffset? _finishedAt;

    /// <summary>Initializes a new instance of the <see cref="ScriptedJob"/> class. Emulators normally use <see cref="JobScripts.Create"/>.</summary>
    /// <param name="id">The vendor job id.</param>
    /// <param name="script">The script the job follows.</param>
    /// <param name="timeProvider">The clock for <see cref="CreatedAt"/> and time-based scripts. The default is <see cref="TimeProvider.System"/>.</param>
    /// <param name="prompt">The prompt, if any.</param>
    /// <param name="tag">The emulator's own data.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="script"/> is <see langword="null"/>.</exception>
    public ScriptedJob(string id, JobScript script, TimeProvider? timeProvider = null, string? prompt = null, object? tag = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(script);
        _timeProvider = timeProvider ?? TimeProvider.System;
        Id = id;
        Script = script;
        Prompt = prompt;
        Tag = tag;
        CreatedAt = _timeProvider.GetUtcNow();
    }

    /// <summary>Gets the vendor job id.</summary>
    public string Id { get; }

    /// <summary>Gets the name of the emulator that accepted the job (such as <c>VeoGen</c>), or <see langword="null"/> when it was not created by one.</summary>
    public string? Emulator { get; init; }

    /// <summary>Gets the script the job follows.</summary>
    public JobScript Script { get; }

    /// <summary>Gets the prompt the job was created with, if any.</summary>
    public string? Prompt { get; }

    /// <summary>Gets when the job was created, on the host's clock.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets or sets the vendor emulator's own data for this job (request details, media URLs, …).</summary>
    public object? Tag { get; set; }

    /// <summary>Gets the number of status polls so far.</summary>
    public int PollCount
    {
        get
        {
            lock (_lock)
            {
                return _pollCount;
            }
        }
    }

    /// <summary>Gets when the job was first seen finished, or <see langword="null"/> while it is not finished.</summary>
    /// <remarks>For a time-based script this is exactly <see cref="CreatedAt"/> plus the completion duration.</remarks>
    public DateTimeOffset? FinishedAt
    {
        get
        {
            lock (_lock)
            {
                EvaluateLocked();
                return _finishedAt;
            }
        }
    }

    /// <summary>Gets the current state without counting a poll (for submit responses and listings).</summary>
    public JobSnapshot Current
    {
        get
        {
            lock (_lock)
            {
                return EvaluateLocked();
            }
        }
    }

    /// <summary>Counts one status poll and returns the state that poll sees.</summary>
    /// <returns>The state after counting the poll.</returns>
    public JobSnapshot Poll()
    {
        lock (_lock)
        {
            _pollCount++;
            return EvaluateLocked();
        }
    }

    /// <summary>Forces the job to succeed now, whatever its script says. Has no effect on a finished job.</summary>
    /// <returns><see langword="true"/> if the job was not finished yet.</returns>
    public bool Complete() => Force(JobState.Succeeded, null, null);

    /// <summary>Forces the job to fail now, whatever its script says. Has no effect on a finished job.</summary>
    /// <param name="kind">Why the job failed.</param>
    /// <param name="message">The failure message the emulator reports.</param>
    /// <returns><see langword="true"/> if the job was not finished yet.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public bool Fail(JobFailureKind kind, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Force(JobState.Failed, kind, message);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Id}: {Current}";

    private bool Force(JobState state, JobFailureKind? kind, string? message)
    {
        lock (_lock)
        {
            if (EvaluateLocked().IsTerminal)
            {
                return false;
            }

            _terminal = new JobSnapshot(state, state == JobState.Succeeded ? 100 : _progress, _pollCount, kind, message);
            _finishedAt = _timeProvider.GetUtcNow();
            return true;
        }
    }

    private JobSnapshot EvaluateLocked()
    {
        if (_terminal is not null)
        {
            return _terminal with { PollCount = _pollCount };
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        (JobState state, int progress) = Script.Evaluate(_pollCount, now - CreatedAt);
        if (state is JobState.Succeeded or JobState.Failed)
        {
            _terminal = new JobSnapshot(state, state == JobState.Succeeded ? 100 : _progress, _pollCount, Script.FailureKind, Script.FailureMessage);
            _finishedAt = Script.CompletionDuration is TimeSpan d && (Script.CompletionPolls is null) ? CreatedAt + d : now;
            return _terminal;
        }

        _progress = Math.Max(_progress, progress);
        return new JobSnapshot(state, _progress, _pollCount);
    }
}
