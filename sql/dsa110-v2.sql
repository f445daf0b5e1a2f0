-- Flavour `dsa110-v2`: the DSA-110 pipeline's in-house queue, one table `absurd.tasks` for all
-- queues. Re-created from ../shared/spec/absurd-flavours.md section 3 for tests and the demo.
create schema if not exists absurd;

create table if not exists absurd.tasks (
  task_id uuid primary key default gen_random_uuid(),
  queue_name text not null,
  task_name text not null,
  params jsonb not null default '{}',
  priority integer not null default 0,
  timeout_sec integer,
  status text not null default 'pending'
    check (status in ('pending', 'claimed', 'completed', 'failed', 'cancelled', 'retrying')),
  worker_id text,
  attempt integer not null default 0,  -- incremented on every claim
  max_retries integer not null default 3,
  result jsonb,
  error text,
  created_at timestamptz not null default now(),
  claimed_at timestamptz,
  completed_at timestamptz,
  wait_time_sec double precision,
  execution_time_sec double precision
);
create index if not exists idx_tasks_queue_status on absurd.tasks (queue_name, status);
create index if not exists idx_tasks_status on absurd.tasks (status);
create index if not exists idx_tasks_created_at on absurd.tasks (created_at desc);
create index if not exists idx_tasks_worker_id on absurd.tasks (worker_id) where worker_id is not null;
create index if not exists idx_tasks_priority_created on absurd.tasks (priority desc, created_at);

create or replace function absurd.spawn_task(
  p_queue_name text, p_task_name text, p_params jsonb default '{}', p_priority integer default 0,
  p_timeout_sec integer default null, p_max_retries integer default 3
) returns uuid language sql as $$
  insert into absurd.tasks (queue_name, task_name, params, priority, timeout_sec, max_retries)
  values (p_queue_name, p_task_name, coalesce(p_params, '{}'), coalesce(p_priority, 0),
          p_timeout_sec, coalesce(p_max_retries, 3))
  returning task_id
$$;

-- Workers call this; absurd-top never does. Retrying tasks are claimable like pending ones.
create or replace function absurd.claim_task(p_queue_name text, p_worker_id text)
returns setof absurd.tasks language sql as $$
  with picked as (
    select task_id from absurd.tasks
     where queue_name = p_queue_name and status in ('pending', 'retrying')
     order by priority desc, created_at
     for update skip locked limit 1)
  update absurd.tasks t
     set status = 'claimed', worker_id = p_worker_id, claimed_at = now(), attempt = t.attempt + 1,
         wait_time_sec = extract(epoch from now() - t.created_at)
    from picked where t.task_id = picked.task_id
  returning t.*
$$;

create or replace function absurd.complete_task(p_task_id uuid, p_result jsonb default null)
returns boolean language sql as $$
  with done as (
    update absurd.tasks
       set status = 'completed', result = p_result, completed_at = now(),
           execution_time_sec = extract(epoch from now() - claimed_at)
     where task_id = p_task_id and status = 'claimed'
    returning 1)
  select exists (select 1 from done)
$$;

-- Never requeues: a failed task stays failed until retry_task.
create or replace function absurd.fail_task(p_task_id uuid, p_error text)
returns boolean language sql as $$
  with done as (
    update absurd.tasks
       set status = 'failed', error = p_error, completed_at = now(),
           execution_time_sec = extract(epoch from now() - claimed_at)
     where task_id = p_task_id and status = 'claimed'
    returning 1)
  select exists (select 1 from done)
$$;

create or replace function absurd.cancel_task(p_task_id uuid)
returns boolean language sql as $$
  with done as (
    update absurd.tasks set status = 'cancelled', completed_at = now()
     where task_id = p_task_id and status in ('pending', 'retrying')
    returning 1)
  select exists (select 1 from done)
$$;

create or replace function absurd.retry_task(p_task_id uuid)
returns boolean language sql as $$
  with done as (
    update absurd.tasks
       set status = 'retrying', error = null, result = null, worker_id = null,
           claimed_at = null, completed_at = null, wait_time_sec = null, execution_time_sec = null
     where task_id = p_task_id and status in ('failed', 'cancelled') and attempt < max_retries
    returning 1)
  select exists (select 1 from done)
$$;

create or replace function absurd.get_queue_stats(p_queue_name text)
returns table (pending bigint, claimed bigint, completed bigint, failed bigint,
               cancelled bigint, retrying bigint, total bigint)
language sql stable as $$
  select count(*) filter (where status = 'pending'),
         count(*) filter (where status = 'claimed'),
         count(*) filter (where status = 'completed'),
         count(*) filter (where status = 'failed'),
         count(*) filter (where status = 'cancelled'),
         count(*) filter (where status = 'retrying'),
         count(*)
    from absurd.tasks where queue_name = p_queue_name
$$;

-- The pipeline's heartbeat only checks that the task is still claimed; it writes nothing.
create or replace function absurd.heartbeat_task(p_task_id uuid)
returns boolean language sql stable as $$
  select exists (select 1 from absurd.tasks where task_id = p_task_id and status = 'claimed')
$$;
