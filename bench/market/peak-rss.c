/* peak-rss.c — runs a command and reports its peak resident set
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-market-peak-rss COMMAND [ARG…]
 *
 * Runs COMMAND, waits for it, and prints "peak_rss_kib N" on stderr: the
 * ru_maxrss of that child alone (wait4 ()), which counts the pages of a
 * mapped file as well as the heap. Exits with the command's status.
 */

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int
main (int   argc,
      char *argv[])
{
  struct rusage usage = { 0 };
  int status = 0;
  pid_t pid;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s COMMAND [ARG…]\n", argv[0]);
      return 2;
    }

  pid = fork ();
  if (pid < 0)
    {
      perror ("bench-market-peak-rss: fork");
      return 1;
    }
  if (pid == 0)
    {
      execvp (argv[1], argv + 1);
      perror ("bench-market-peak-rss: exec");
      _exit (127);
    }

  if (wait4 (pid, &status, 0, &usage) != pid)
    {
      perror ("bench-market-peak-rss: wait4");
      return 1;
    }
  fprintf (stderr, "peak_rss_kib %ld\n", usage.ru_maxrss);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}
