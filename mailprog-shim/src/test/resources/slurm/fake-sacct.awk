# A stand-in for sacct: answers `sacct -j ID -n -P --format F1,F2,...` from sacct_samples.txt.
#
# The samples use goslmailer's field set (JobName first, no JobID). This re-projects each sample
# row onto the requested fields by name (fields the samples lack come out empty) and gives rows the
# JobID sacct would print: the job row is ID, steps are ID.batch / ID.extern / ID.0, and in the
# array sample each job row is a task ID_1, ID_2, ... in row order (the pending row ID_[k-(k+1)]).
# A '|' inside a job name is kept raw, as sacct does.
#
# Accounting lag: when the file `lagfile` has a line "ID N", the first N calls for ID answer with
# the sample block titled RUNNING (if any) or nothing; the count lives in `statefile`.
#
# Step lag: when the file `steplagfile` has a line "ID N", the first N calls for ID (counted as for
# lagfile) answer with the job rows only, as sacct does while a finished job's steps are not yet in
# the database (seen on Slurm 22.05 for CANCELLED and TIMEOUT jobs).
#
# Variables: id, fmt (comma-separated fields), lagfile, statefile, steplagfile.

function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }

BEGIN {
    # An array task is asked for as ARRAY_TASK: the samples are filed under the array id.
    base = id
    sub(/_.*/, "", base)
    nwant = split(tolower(fmt), want, ",")
    lag = 0
    if (lagfile != "") {
        while ((getline line < lagfile) > 0) {
            split(line, p, " ")
            if (p[1] == id) lag = p[2] + 0
        }
        close(lagfile)
    }
    steplag = 0
    if (steplagfile != "") {
        while ((getline line < steplagfile) > 0) {
            split(line, p, " ")
            if (p[1] == id) steplag = p[2] + 0
        }
        close(steplagfile)
    }
    calls = 0
    if (statefile != "") {
        while ((getline line < statefile) > 0) {
            split(line, p, " ")
            if (p[1] == id) calls = p[2] + 0
        }
        close(statefile)
        print id " " (calls + 1) >> statefile
        close(statefile)
    }
    lagging = calls < lag
    stepsHidden = calls < steplag
    block = ""; title = ""
}

/^### / { title = $0; next }

/^\$ sacct / {
    block = ""
    if (index($0, " -j " base " ") == 0) next
    if (index($0, "--format JobName,User,Account") == 0) next
    if (index($0, " -p ") > 0) next
    isRunning = (index(title, "RUNNING") > 0)
    if (lagging != isRunning) next
    block = "yes"
    nsample = split("jobname,user,account,partition,nodelist,ncpus,state,submit,start,end,timelimit,elapsed,cputime,totalcpu,usercpu,systemcpu,reqmem,maxrss,maxdiskwrite,maxdiskread,maxrssnode,maxdiskwritenode,maxdiskreadnode,comment", sample, ",")
    task = 0; step = 0; parent = base
    next
}

/^#/ || /^$/ { block = ""; next }

block == "yes" {
    n = split($0, f, "|")
    extra = n - nsample
    name = f[1]
    for (k = 2; k <= 1 + extra; k++) name = name "|" f[k]
    delete v
    v["jobname"] = name
    for (k = 2; k <= nsample; k++) v[sample[k]] = f[k + extra]
    if (v["user"] != "") {
        if (index(title, "Array") > 0) {
            task++
            parent = (v["state"] == "PENDING") ? base "_[" task "-" (task + 1) "]" : base "_" task
        } else {
            parent = base
        }
        jobid = parent
        step = 0
    } else if (name == "batch" || name == "extern") {
        jobid = parent "." name
    } else {
        jobid = parent "." step
        step++
    }
    v["jobid"] = jobid
    v["nnodes"] = ""
    if (stepsHidden && index(jobid, ".") > 0) next
    out = ""
    for (k = 1; k <= nwant; k++) out = out (k > 1 ? "|" : "") v[want[k]]
    print out
}
