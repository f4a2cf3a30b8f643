// Command gongshi runs the Enterprise Credit Information Publicity System
// (企业信用信息公示系统) and its tools. Run "gongshi help" for the list of commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			// A command stops at a point where stopping loses nothing, which may be long
			// in coming (a bulk load's finish makes every page first): say so, and let a
			// second interrupt stop the process at once, as it would without this.
			stop()
			fmt.Fprintln(os.Stderr, "gongshi: interrupted: stopping where nothing is lost (a bulk load finishes its pages and indexes first); interrupt again to stop at once")
		case <-done:
		}
	}()
	code := Main(ctx, os.Args[1:], &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	close(done)
	stop()
	os.Exit(code)
}

// Env is what a command may touch of the outside world. Tests pass their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// command is one subcommand of gongshi; each lives in its own file.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// exitStatus is returned by a command that has already said what it has to say
// and only wants a non-zero exit status (e.g. "gongshi code" on an invalid code).
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

var commands = map[string]command{}

// register adds a subcommand; called from init functions of the command files.
func register(name, summary string, run func(ctx context.Context, env *Env, args []string) error) {
	commands[name] = command{summary: summary, run: run}
}

// Main runs gongshi with args (without the program name) and returns the exit status.
func Main(ctx context.Context, args []string, env *Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "gongshi: unknown command %q; run \"gongshi help\" for the list\n", args[0])
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	var st exitStatus
	switch {
	case err == nil:
		return 0
	case errors.As(err, &st):
		return int(st)
	default:
		fmt.Fprintf(env.Stderr, "gongshi %s: %v\n", args[0], err)
		return 1
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "gongshi — Enterprise Credit Information Publicity System (企业信用信息公示系统)")
	fmt.Fprintln(w, "\nUsage: gongshi COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"gongshi COMMAND -h\" for a command's flags.")
}

const screenshotsHelp = "write screenshots of the main web pages to a folder, for review (built with -tags dev)"
