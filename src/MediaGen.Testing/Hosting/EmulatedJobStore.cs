namespace MediaGen.Testing;

/// <summary>What a new job is built from: its id, who submitted it under which key, the prompt, the price charged, its scripted lifecycle and the balance right after the charge.</summary>
internal readonly record struct JobSlot(string Id, string Account, string? IdempotencyKey, string Prompt, decimal Price, ScriptedJob Job, decimal BalanceAfter);

/// <summary>One job an emulated vendor accepted: who sent it, under which idempotency key, what it cost, its lifecycle.</summary>
/// <param name="slot">What the store accepted.</param>
internal class EmulatedJob(JobSlot slot)
{
    private readonly Lock _lock = new();
    private IReadOnlyList<Uri>? _outputs;
    private bool _refunded;
    private bool _charged;

    public string Id { get; } = slot.Id;

    public string Account { get; } = slot.Account;

    public string? IdempotencyKey { get; } = slot.IdempotencyKey;

    public string Prompt { get; } = slot.Prompt;

    public decimal Price { get; } = slot.Price;

    public ScriptedJob Job { get; } = slot.Job;

    /// <summary>Returns the outputs, publishing them on the first call only.</summary>
    public IReadOnlyList<Uri> PublishOnce(Func<IReadOnlyList<Uri>> publish)
    {
        lock (_lock)
        {
            return _outputs ??= publish();
        }
    }

    /// <summary>Marks the job charged after the fact (vendors that bill on completion); <see langword="true"/> the first time only.</summary>
    public bool TryMarkCharged()
    {
        lock (_lock)
        {
            bool first = !_charged;
            _charged = true;
            return first;
        }
    }

    /// <summary>Marks the job refunded; <see langword="true"/> the first time only.</summary>
    public bool TryMarkRefunded()
    {
        lock (_lock)
        {
            bool first = !_refunded;
            _refunded = true;
            return first;
        }
    }
}

/// <summary>How <see cref="EmulatedJobStore{TJob}.Submit"/> ended.</summary>
internal enum SubmitOutcome
{
    /// <summary>A new job was accepted and charged.</summary>
    Accepted,

    /// <summary>The account already submitted under this idempotency key: <see cref="JobSubmission{TJob}.Job"/> is that job, not charged again.</summary>
    Duplicate,

    /// <summary>The emulator's admission rule refused it before billing (for example a concurrency cap).</summary>
    Refused,

    /// <summary>The balance does not cover the price; <see cref="JobSubmission{TJob}.Balance"/> is the balance.</summary>
    InsufficientFunds,
}

/// <summary>The outcome of a submit, the job it is about, and the balance after the debit (or the balance that was short).</summary>
internal readonly record struct JobSubmission<TJob>(SubmitOutcome Outcome, TJob? Job, decimal Balance)
    where TJob : EmulatedJob;

/// <summary>
/// An emulated vendor's accepted jobs, the part every emulator shares: ids, an idempotency index per account,
/// "debit the host's ledger or refuse, then accept" as one step, a refund at most once, outputs published once.
/// What the vendor answers in each case stays in the emulator.
/// </summary>
/// <typeparam name="TJob">The emulator's job record.</typeparam>
/// <param name="context">The emulator's context (available once mapped on a host).</param>
/// <param name="unit">The ledger unit the vendor charges in.</param>
internal sealed class EmulatedJobStore<TJob>(Func<EmulatorContext> context, string unit)
    where TJob : EmulatedJob
{
    private readonly Lock _lock = new();
    private readonly List<TJob> _order = [];
    private readonly Dictionary<string, TJob> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Account, string Key), TJob> _byKey = [];

    /// <summary>Gets the number of jobs accepted (duplicates not counted).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _order.Count;
            }
        }
    }

    /// <summary>Gets the jobs in acceptance order.</summary>
    public IReadOnlyList<TJob> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _order];
            }
        }
    }

    /// <summary>
    /// Submits a job: the one already submitted under (<paramref name="account"/>, <paramref name="idempotencyKey"/>)
    /// if there is one; otherwise <paramref name="admit"/> may refuse it; otherwise the price is debited from the
    /// host's ledger (or the submit is refused for funds), the scripted job is created, recorded and charged.
    /// </summary>
    /// <param name="account">The submitting account (API key).</param>
    /// <param name="idempotencyKey">The idempotency key, or <see langword="null"/> where the vendor has none.</param>
    /// <param name="price">The price.</param>
    /// <param name="prompt">The prompt (for job scripts and the ledger's logical request).</param>
    /// <param name="create">Builds the emulator's record from what was accepted.</param>
    /// <param name="newId">Mints the vendor's job id; the default is a random UUID.</param>
    /// <param name="tag">The tag stored on the scripted job.</param>
    /// <param name="admit">An admission rule over the jobs so far, run before billing.</param>
    /// <param name="accepted">Runs under the store's lock right after a job is accepted.</param>
    /// <param name="chargeOnAccept">Whether the price is debited and charged now (the default); <see langword="false"/> for a vendor that bills once the job ends (see <see cref="ChargeOnce"/>).</param>
    /// <returns>The outcome.</returns>
    public JobSubmission<TJob> Submit(
        string account,
        string? idempotencyKey,
        decimal price,
        string prompt,
        Func<JobSlot, TJob> create,
        Func<string>? newId = null,
        object? tag = null,
        Func<IReadOnlyList<TJob>, bool>? admit = null,
        Action<IReadOnlyList<TJob>>? accepted = null,
        bool chargeOnAccept = true)
    {
        EmulatorContext host = context();
        lock (_lock)
        {
            if (idempotencyKey is not null && _byKey.TryGetValue((account, idempotencyKey), out TJob? existing))
            {
                return new(SubmitOutcome.Duplicate, existing, host.Ledger.GetBalance(unit));
            }

            if (admit is not null && !admit(_order))
            {
                return new(SubmitOutcome.Refused, null, host.Ledger.GetBalance(unit));
            }

            decimal balance = host.Ledger.GetBalance(unit);
            if (chargeOnAccept && !host.Ledger.TryDebit(unit, price, out balance))
            {
                return new(SubmitOutcome.InsufficientFunds, null, balance);
            }

            string id = newId?.Invoke() ?? Guid.NewGuid().ToString("D");
            TJob job = create(new JobSlot(id, account, idempotencyKey, prompt, price, host.Jobs.Create(id, prompt, tag), balance));
            _order.Add(job);
            _byId.Add(id, job);
            if (idempotencyKey is not null)
            {
                _byKey[(account, idempotencyKey)] = job;
            }

            if (chargeOnAccept)
            {
                host.Ledger.Accept(id, idempotencyKey, price, unit, prompt);
            }

            accepted?.Invoke(_order);
            return new(SubmitOutcome.Accepted, job, balance);
        }
    }

    /// <summary>Finds a job by id.</summary>
    public TJob? Find(string id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>Finds the job an account submitted under an idempotency key.</summary>
    public TJob? FindByKey(string account, string idempotencyKey)
    {
        lock (_lock)
        {
            return _byKey.GetValueOrDefault((account, idempotencyKey));
        }
    }

    /// <summary>
    /// Charges a job submitted with <c>chargeOnAccept: false</c> the first time it is called for that job: the ledger
    /// records the charge and the balance is debited, even below zero (a vendor that bills after the fact lets a running
    /// job overrun the balance).
    /// </summary>
    /// <returns><see langword="true"/> when this call charged it.</returns>
    public bool ChargeOnce(TJob job)
    {
        if (!job.TryMarkCharged())
        {
            return false;
        }

        EmulatorContext host = context();
        lock (_lock)
        {
            host.Ledger.SetBalance(unit, host.Ledger.GetBalance(unit) - job.Price);
            host.Ledger.Accept(job.Id, job.IdempotencyKey, job.Price, unit, job.Prompt);
        }

        return true;
    }

    /// <summary>Refunds a job's charge the first time it is called for that job: the ledger marks it refunded and credits the price back.</summary>
    /// <returns><see langword="true"/> when this call refunded it.</returns>
    public bool RefundOnce(TJob job)
    {
        if (!job.TryMarkRefunded())
        {
            return false;
        }

        EmulatorContext host = context();
        host.Ledger.Refund(job.Id);
        host.Ledger.Credit(unit, job.Price);
        return true;
    }
}
