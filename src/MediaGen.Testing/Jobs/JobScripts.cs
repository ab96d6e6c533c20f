namespace MediaGen.Testing;

/// <summary>
/// Chooses the <see cref="JobScript"/> for every job a vendor emulator accepts, and keeps the jobs so status polls can
/// find them. Thread-safe.
/// </summary>
/// <remarks>
/// For each new job the script is, in order: the next one-shot script queued with <see cref="EnqueueNext"/>; else the
/// first override registered with <see cref="When"/> whose predicate matches the prompt; else <see cref="Default"/>.
/// </remarks>
public sealed class JobScripts
{
    private readonly Lock _lock = new();
    private readonly Queue<JobScript> _next = new();
    private readonly List<(string? Emulator, Func<string?, bool> Predicate, JobScript Script)> _overrides = [];
    private readonly Dictionary<string, ScriptedJob> _jobs = new(StringComparer.Ordinal);
    private readonly List<ScriptedJob> _created = [];
    private readonly TimeProvider _timeProvider;
    private JobScript _default = JobScript.CompleteAfterPolls(2);

    /// <summary>Initializes a new instance of the <see cref="JobScripts"/> class.</summary>
    /// <param name="timeProvider">The clock for job creation times and time-based scripts. The default is <see cref="TimeProvider.System"/>.</param>
    public JobScripts(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets or sets the script used when no override applies.</summary>
    /// <value>The default is <c>JobScript.CompleteAfterPolls(2)</c>: queued at submit, running on poll 1, succeeded on poll 2.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public JobScript Default
    {
        get
        {
            lock (_lock)
            {
                return _default;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_lock)
            {
                _default = value;
            }
        }
    }

    /// <summary>Gets a snapshot of every job created so far.</summary>
    public IReadOnlyList<ScriptedJob> Jobs
    {
        get
        {
            lock (_lock)
            {
                return [.. _created];
            }
        }
    }

    /// <summary>Queues a script for the next job created (one-shot; queued scripts are used in order).</summary>
    /// <param name="script">The script.</param>
    /// <exception cref="ArgumentNullException"><paramref name="script"/> is <see langword="null"/>.</exception>
    public void EnqueueNext(JobScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        lock (_lock)
        {
            _next.Enqueue(script);
        }
    }

    /// <summary>Uses <paramref name="script"/> for every job whose prompt matches <paramref name="predicate"/> (earlier overrides win).</summary>
    /// <param name="predicate">A test on the job's prompt (which may be <see langword="null"/>).</param>
    /// <param name="script">The script.</param>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> or <paramref name="script"/> is <see langword="null"/>.</exception>
    public void When(Func<string?, bool> predicate, JobScript script)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(script);
        lock (_lock)
        {
            _overrides.Add((null, predicate, script));
        }
    }

    /// <summary>Uses <paramref name="script"/> for every job of one emulator whose prompt matches <paramref name="predicate"/> (earlier overrides win).</summary>
    /// <param name="emulatorName">The emulator's <see cref="IVendorEmulator.Name"/>, such as <c>MeiGen</c> (case-insensitive).</param>
    /// <param name="predicate">A test on the job's prompt (which may be <see langword="null"/>); it runs only for that emulator's jobs, once per job, under the scripts' lock.</param>
    /// <param name="script">The script.</param>
    /// <exception cref="ArgumentException"><paramref name="emulatorName"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> or <paramref name="script"/> is <see langword="null"/>.</exception>
    public void WhenEmulator(string emulatorName, Func<string?, bool> predicate, JobScript script)
    {
        ArgumentException.ThrowIfNullOrEmpty(emulatorName);
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(script);
        lock (_lock)
        {
            _overrides.Add((emulatorName, predicate, script));
        }
    }

    /// <summary>Uses <paramref name="script"/> for every job whose prompt contains <paramref name="text"/> (ordinal, case-insensitive).</summary>
    /// <param name="text">The text to look for.</param>
    /// <param name="script">The script.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="script"/> is <see langword="null"/>.</exception>
    public void WhenPromptContains(string text, JobScript script)
    {
        ArgumentNullException.ThrowIfNull(text);
        When(prompt => prompt is not null && prompt.Contains(text, StringComparison.OrdinalIgnoreCase), script);
    }

    /// <summary>Removes all queued one-shot scripts and prompt overrides (the default and existing jobs stay).</summary>
    public void ClearOverrides()
    {
        lock (_lock)
        {
            _next.Clear();
            _overrides.Clear();
        }
    }

    /// <summary>Creates a job with the script chosen by the rules in the remarks and registers it under <paramref name="jobId"/>.</summary>
    /// <param name="jobId">The vendor job id; unique per host.</param>
    /// <param name="prompt">The prompt, used by <see cref="When"/> overrides.</param>
    /// <param name="tag">The emulator's own data, stored in <see cref="ScriptedJob.Tag"/>.</param>
    /// <returns>The job.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is null or empty, or a job with that id already exists.</exception>
    public ScriptedJob Create(string jobId, string? prompt = null, object? tag = null) => CreateFor(jobId, prompt, tag, emulator: null);

    /// <summary>Creates a job for a named emulator (see <see cref="WhenEmulator"/> and <see cref="ScriptedJob.Emulator"/>).</summary>
    internal ScriptedJob CreateFor(string jobId, string? prompt, object? tag, string? emulator)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        emulator ??= Internal.EmulatorScope.Current;
        lock (_lock)
        {
            if (_jobs.ContainsKey(jobId))
            {
                throw new ArgumentException($"A job with id '{jobId}' already exists.", nameof(jobId));
            }

            var job = new ScriptedJob(jobId, Choose(prompt, emulator), _timeProvider, prompt, tag) { Emulator = emulator };
            _jobs.Add(jobId, job);
            _created.Add(job);
            return job;
        }
    }

    /// <summary>Finds a job by id.</summary>
    /// <param name="jobId">The vendor job id.</param>
    /// <param name="job">The job, when found.</param>
    /// <returns><see langword="true"/> if the job exists.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="jobId"/> is <see langword="null"/>.</exception>
    public bool TryGet(string jobId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ScriptedJob? job)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        lock (_lock)
        {
            return _jobs.TryGetValue(jobId, out job);
        }
    }

    /// <summary>Gets a job by id.</summary>
    /// <param name="jobId">The vendor job id.</param>
    /// <returns>The job.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="jobId"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No job has that id.</exception>
    public ScriptedJob Get(string jobId) =>
        TryGet(jobId, out ScriptedJob? job) ? job : throw new KeyNotFoundException($"No scripted job has id '{jobId}'.");

    private JobScript Choose(string? prompt, string? emulator)
    {
        lock (_lock)
        {
            if (_next.TryDequeue(out JobScript? next))
            {
                return next;
            }

            foreach ((string? only, Func<string?, bool> predicate, JobScript script) in _overrides)
            {
                if ((only is null || string.Equals(only, emulator, StringComparison.OrdinalIgnoreCase)) && predicate(prompt))
                {
                    return script;
                }
            }

            return _default;
        }
    }
}
