-- Flavour `absurd`: the open-source durable-workflow layout (schema 0.4.0), one set of tables
-- per queue. Re-created from ../shared/spec/absurd-flavours.md section 2 for tests and the demo.
-- Runs once into an empty database; `create ... if not exists` / `create or replace` throughout.
create schema if not exists absurd;

create table if not exists absurd.queues (
  queue_name text primary key check (octet_length(queue_name) between 1 and 57),
  created_at timestamptz not null default now(),
  storage_mode text not null default 'unpartitioned'
    check (storage_mode in ('unpartitioned', 'partitioned')),
  cleanup_ttl interval not null default interval '30 days',
  cleanup_limit integer not null default 1000,
  partition_interval interval,
  partition_premake integer,
  partition_retention interval
);

create or replace function absurd.get_schema_version() returns text
language sql immutable as $$ select '0.4.0'::text $$;

-- UUIDv7 (48-bit unix milliseconds, version 7, RFC 4122 variant) for PostgreSQL < 18, which has
-- no uuidv7(). The timestamp argument lets fixtures create ids for rows "born" in the past.
create or replace function absurd.portable_uuidv7(ts timestamptz default clock_timestamp())
returns uuid language plpgsql volatile as $$
declare
  ms bigint := floor(extract(epoch from ts) * 1000);
  b bytea := uuid_send(gen_random_uuid());  -- 16 random bytes, variant bits already 10xx
begin
  b := overlay(b placing substring(int8send(ms) from 3 for 6) from 1 for 6);
  b := set_byte(b, 6, (get_byte(b, 6) & 15) | 112);  -- version nibble 7
  return encode(b, 'hex')::uuid;
end $$;

create or replace function absurd.create_queue(p_queue_name text) returns void
language plpgsql as $$
begin
  if p_queue_name is null or octet_length(p_queue_name) not between 1 and 57 then
    raise exception 'queue name must be 1 to 57 bytes: %', p_queue_name using errcode = 'P0001';
  end if;
  insert into absurd.queues (queue_name) values (p_queue_name) on conflict do nothing;

  execute format($f$create table if not exists absurd.%I (
      task_id uuid primary key,
      task_name text not null,
      params jsonb not null default '{}',
      headers jsonb,
      retry_strategy jsonb,
      max_attempts integer,
      cancellation jsonb,
      enqueue_at timestamptz not null default now(),
      first_started_at timestamptz,
      state text not null check (state in
        ('pending','running','sleeping','completed','failed','cancelled')),
      attempts integer not null default 0,
      last_attempt_run uuid,
      completed_payload jsonb,
      cancelled_at timestamptz,
      idempotency_key text unique)$f$, 't_' || p_queue_name);

  execute format($f$create table if not exists absurd.%I (
      run_id uuid primary key,
      task_id uuid not null references absurd.%I (task_id) on delete cascade,
      attempt integer not null,
      state text not null check (state in
        ('pending','running','sleeping','completed','failed','cancelled')),
      claimed_by text,
      claim_expires_at timestamptz,
      available_at timestamptz not null,
      wake_event text,
      event_payload jsonb,
      started_at timestamptz,
      completed_at timestamptz,
      failed_at timestamptz,
      result jsonb,
      failure_reason jsonb,
      created_at timestamptz not null default now())$f$, 'r_' || p_queue_name, 't_' || p_queue_name);
  execute format('create index if not exists %I on absurd.%I (state, available_at)',
    'r_' || p_queue_name || '_sai', 'r_' || p_queue_name);
  execute format('create index if not exists %I on absurd.%I (task_id)',
    'r_' || p_queue_name || '_ti', 'r_' || p_queue_name);
  execute format($f$create index if not exists %I on absurd.%I (claim_expires_at)
      where state = 'running'$f$, 'r_' || p_queue_name || '_cei', 'r_' || p_queue_name);

  execute format($f$create table if not exists absurd.%I (
      task_id uuid not null references absurd.%I (task_id) on delete cascade,
      checkpoint_name text not null,
      state jsonb,
      status text not null default 'committed',
      owner_run_id uuid,
      updated_at timestamptz not null default now(),
      primary key (task_id, checkpoint_name))$f$, 'c_' || p_queue_name, 't_' || p_queue_name);

  execute format($f$create table if not exists absurd.%I (
      event_name text primary key,
      payload jsonb,
      emitted_at timestamptz not null default now())$f$, 'e_' || p_queue_name);

  execute format($f$create table if not exists absurd.%I (
      task_id uuid not null references absurd.%I (task_id) on delete cascade,
      run_id uuid not null,
      step_name text not null,
      event_name text not null,
      timeout_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (run_id, step_name))$f$, 'w_' || p_queue_name, 't_' || p_queue_name);
  execute format('create index if not exists %I on absurd.%I (event_name)',
    'w_' || p_queue_name || '_eni', 'w_' || p_queue_name);
end $$;

create or replace function absurd.spawn_task(
  p_queue_name text, p_task_name text, p_params jsonb, p_options jsonb default '{}'
) returns table (task_id uuid, run_id uuid, attempt integer)
language plpgsql as $$
declare
  v_task uuid := absurd.portable_uuidv7();
  v_run uuid := absurd.portable_uuidv7();
  v_key text := p_options ->> 'idempotency_key';
  v_existing record;
begin
  if v_key is not null then
    execute format('select task_id, last_attempt_run, attempts from absurd.%I where idempotency_key = $1',
      't_' || p_queue_name) into v_existing using v_key;
    if v_existing.task_id is not null then
      return query select v_existing.task_id, v_existing.last_attempt_run, v_existing.attempts;
      return;
    end if;
  end if;
  execute format($f$insert into absurd.%I (task_id, task_name, params, headers, retry_strategy,
      max_attempts, cancellation, state, attempts, last_attempt_run, idempotency_key)
      values ($1, $2, coalesce($3, '{}'), $4 -> 'headers', $4 -> 'retry_strategy',
        ($4 ->> 'max_attempts')::int, $4 -> 'cancellation', 'pending', 1, $5, $6)$f$,
    't_' || p_queue_name) using v_task, p_task_name, p_params, p_options, v_run, v_key;
  execute format($f$insert into absurd.%I (run_id, task_id, attempt, state, available_at)
      values ($1, $2, 1, 'pending', now())$f$, 'r_' || p_queue_name) using v_run, v_task;
  return query select v_task, v_run, 1;
end $$;

-- Workers call this; absurd-top never does (it would take real work away from a worker).
create or replace function absurd.claim_task(
  p_queue_name text, p_worker_id text, p_claim_timeout integer default 30, p_qty integer default 1
) returns table (run_id uuid, task_id uuid, attempt integer, task_name text, params jsonb,
                 retry_strategy jsonb, max_attempts integer, headers jsonb,
                 wake_event text, event_payload jsonb)
language plpgsql as $$
declare
  v_expired uuid;
begin
  -- Leases that ran out are only released here, when some worker claims from the queue again.
  for v_expired in execute format($f$select run_id from absurd.%I
      where state = 'running' and claim_expires_at <= now() for update skip locked$f$,
      'r_' || p_queue_name)
  loop
    perform absurd.fail_run(p_queue_name, v_expired,
      jsonb_build_object('name', '$ClaimTimeout', 'message', 'worker lease expired'), null);
  end loop;

  return query execute format($f$
    with picked as (
      select r.run_id from absurd.%1$I r
       where r.state in ('pending', 'sleeping') and r.available_at <= now()
       order by r.available_at, r.run_id
       for update skip locked limit $3),
    runs as (
      update absurd.%1$I r set state = 'running', claimed_by = $1,
             claim_expires_at = now() + make_interval(secs => $2), started_at = now()
        from picked where r.run_id = picked.run_id
      returning r.run_id, r.task_id, r.attempt, r.wake_event, r.event_payload),
    tasks as (
      update absurd.%2$I t set state = 'running', first_started_at = coalesce(t.first_started_at, now())
        from runs where t.task_id = runs.task_id
      returning t.task_id, t.task_name, t.params, t.retry_strategy, t.max_attempts, t.headers)
    select runs.run_id, runs.task_id, runs.attempt, tasks.task_name, tasks.params,
           tasks.retry_strategy, tasks.max_attempts, tasks.headers, runs.wake_event, runs.event_payload
      from runs join tasks using (task_id)$f$, 'r_' || p_queue_name, 't_' || p_queue_name)
    using p_worker_id, p_claim_timeout, p_qty;
end $$;

create or replace function absurd.complete_run(p_queue_name text, p_run_id uuid, p_result jsonb default null)
returns void language plpgsql as $$
declare
  v_task uuid;
begin
  execute format($f$update absurd.%I set state = 'completed', completed_at = now(), result = $2
      where run_id = $1 and state = 'running' returning task_id$f$, 'r_' || p_queue_name)
    into v_task using p_run_id, p_result;
  if v_task is null then
    raise exception 'run % is not running', p_run_id using errcode = 'P0001';
  end if;
  execute format($f$update absurd.%I set state = 'completed', completed_payload = $2
      where task_id = $1$f$, 't_' || p_queue_name) using v_task, p_result;
end $$;

-- Fails a run; the task gets a new attempt while max_attempts allows (NULL = unlimited), else it
-- fails. Operators use it to release an expired lease by hand.
create or replace function absurd.fail_run(
  p_queue_name text, p_run_id uuid, p_reason jsonb, p_retry_at timestamptz default null
) returns void language plpgsql as $$
declare
  v_run record;
  v_task record;
  v_new uuid;
  v_at timestamptz;
  v_base numeric;
begin
  execute format('select run_id, task_id, attempt, state from absurd.%I where run_id = $1 for update',
    'r_' || p_queue_name) into v_run using p_run_id;
  if v_run.run_id is null then
    raise exception 'run % not found in queue %', p_run_id, p_queue_name using errcode = 'P0001';
  elsif v_run.state = 'failed' then
    raise exception 'run % already failed', p_run_id using errcode = 'AB002';
  elsif v_run.state = 'cancelled' then
    raise exception 'task % already cancelled', v_run.task_id using errcode = 'AB001';
  elsif v_run.state not in ('pending', 'running', 'sleeping') then
    raise exception 'run % is %, not running', p_run_id, v_run.state using errcode = 'P0001';
  end if;
  execute format($f$update absurd.%I set state = 'failed', failed_at = now(), failure_reason = $2,
      claim_expires_at = null where run_id = $1$f$, 'r_' || p_queue_name) using p_run_id, p_reason;

  execute format('select attempts, max_attempts, retry_strategy from absurd.%I where task_id = $1 for update',
    't_' || p_queue_name) into v_task using v_run.task_id;
  if v_task.max_attempts is not null and v_task.attempts >= v_task.max_attempts then
    execute format($f$update absurd.%I set state = 'failed' where task_id = $1$f$, 't_' || p_queue_name)
      using v_run.task_id;
    return;
  end if;

  v_base := coalesce((v_task.retry_strategy ->> 'base_seconds')::numeric, 0);
  if v_task.retry_strategy ->> 'kind' = 'exponential' then
    v_base := v_base * power(2, v_task.attempts - 1);
  end if;
  v_at := coalesce(p_retry_at, now() + make_interval(secs => v_base));
  v_new := absurd.portable_uuidv7();
  execute format($f$insert into absurd.%I (run_id, task_id, attempt, state, available_at)
      values ($1, $2, $3, $4, $5)$f$, 'r_' || p_queue_name)
    using v_new, v_run.task_id, v_task.attempts + 1,
          case when v_at > now() then 'sleeping' else 'pending' end, v_at;
  execute format($f$update absurd.%I set state = $2, attempts = attempts + 1, last_attempt_run = $3
      where task_id = $1$f$, 't_' || p_queue_name)
    using v_run.task_id, case when v_at > now() then 'sleeping' else 'pending' end, v_new;
end $$;

-- Only failed tasks. In place (default) adds one attempt, raising max_attempts if it is spent;
-- {"spawn_new": true} spawns a copy; {"max_attempts": n} sets a higher limit.
create or replace function absurd.retry_task(p_queue_name text, p_task_id uuid, p_options jsonb default '{}')
returns table (task_id uuid, run_id uuid, attempt integer, created boolean)
language plpgsql as $$
declare
  v_task record;
  v_new_task uuid;
  v_run uuid := absurd.portable_uuidv7();
  v_max integer;
begin
  execute format('select * from absurd.%I where task_id = $1 for update', 't_' || p_queue_name)
    into v_task using p_task_id;
  if v_task.task_id is null then
    raise exception 'task % not found in queue %', p_task_id, p_queue_name using errcode = 'P0001';
  elsif v_task.state <> 'failed' then
    raise exception 'task % is %, only failed tasks can be retried', p_task_id, v_task.state
      using errcode = 'P0001';
  end if;

  if coalesce((p_options ->> 'spawn_new')::boolean, false) then
    v_new_task := absurd.portable_uuidv7();
    execute format($f$insert into absurd.%I (task_id, task_name, params, headers, retry_strategy,
        max_attempts, cancellation, state, attempts, last_attempt_run)
        values ($1, $2, $3, $4, $5, coalesce(($7 ->> 'max_attempts')::int, $6), $8, 'pending', 1, $9)$f$,
      't_' || p_queue_name)
      using v_new_task, v_task.task_name, v_task.params, v_task.headers, v_task.retry_strategy,
            v_task.max_attempts, p_options, v_task.cancellation, v_run;
    execute format($f$insert into absurd.%I (run_id, task_id, attempt, state, available_at)
        values ($1, $2, 1, 'pending', now())$f$, 'r_' || p_queue_name) using v_run, v_new_task;
    return query select v_new_task, v_run, 1, true;
    return;
  end if;

  v_max := greatest(coalesce((p_options ->> 'max_attempts')::int, v_task.max_attempts), v_task.attempts + 1);
  if v_task.max_attempts is null and p_options ->> 'max_attempts' is null then
    v_max := null;
  end if;
  execute format($f$insert into absurd.%I (run_id, task_id, attempt, state, available_at)
      values ($1, $2, $3, 'pending', now())$f$, 'r_' || p_queue_name)
    using v_run, p_task_id, v_task.attempts + 1;
  execute format($f$update absurd.%I set state = 'pending', attempts = attempts + 1,
      last_attempt_run = $2, max_attempts = $3 where task_id = $1$f$, 't_' || p_queue_name)
    using p_task_id, v_run, v_max;
  return query select p_task_id, v_run, v_task.attempts + 1, false;
end $$;

-- Pending, running or sleeping tasks; a no-op on terminal ones; raises for an unknown id.
create or replace function absurd.cancel_task(p_queue_name text, p_task_id uuid) returns void
language plpgsql as $$
declare
  v_state text;
begin
  execute format('select state from absurd.%I where task_id = $1 for update', 't_' || p_queue_name)
    into v_state using p_task_id;
  if v_state is null then
    raise exception 'task % not found in queue %', p_task_id, p_queue_name using errcode = 'P0001';
  elsif v_state in ('completed', 'failed', 'cancelled') then
    return;
  end if;
  execute format($f$update absurd.%I set state = 'cancelled', cancelled_at = now()
      where task_id = $1$f$, 't_' || p_queue_name) using p_task_id;
  execute format($f$update absurd.%I set state = 'cancelled', claim_expires_at = null
      where task_id = $1 and state in ('pending', 'running', 'sleeping')$f$, 'r_' || p_queue_name)
    using p_task_id;
end $$;

-- Deletes up to p_limit terminal tasks that finished more than p_ttl_seconds ago (runs,
-- checkpoints and waits go with them). Call until it returns 0.
create or replace function absurd.cleanup_tasks(p_queue_name text, p_ttl_seconds integer, p_limit integer default 1000)
returns integer language plpgsql as $$
declare
  v_count integer;
begin
  execute format($f$with doomed as (
      select t.task_id from absurd.%1$I t
        left join absurd.%2$I r on r.run_id = t.last_attempt_run
       where t.state in ('completed', 'failed', 'cancelled')
         and coalesce(t.cancelled_at, r.completed_at, r.failed_at, r.created_at)
             < now() - make_interval(secs => $1)
       limit $2)
    delete from absurd.%1$I t using doomed where t.task_id = doomed.task_id$f$,
    't_' || p_queue_name, 'r_' || p_queue_name) using p_ttl_seconds, p_limit;
  get diagnostics v_count = row_count;
  return v_count;
end $$;
