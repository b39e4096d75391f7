// Command essbasic runs a contract through 腾讯电子签 渠道版: it uploads a
// PDF, creates a flow with one personal signer, prints the sign URL, waits
// until the flow is completed (the FlowStatusChange callback, or polling),
// and downloads the signed PDF.
//
// By default it runs offline against the essbasictest fake, which signs the
// flow itself and sends the encrypted callback. With -live it talks to the
// platform using the environment:
//
//	ESSBASIC_SECRET_ID, ESSBASIC_SECRET_KEY   the platform's API key pair
//	ESSBASIC_APP_ID                           the application (Agent.AppId)
//	ESSBASIC_ORG_OPEN_ID                      the sub-organisation (Agent.ProxyOrganizationOpenId)
//	ESSBASIC_OPERATOR_OPEN_ID                 the operator (Agent.ProxyOperator.OpenId)
//	ESSBASIC_BASE_URL                         optional: overrides the API host (and the file host)
//	ESSBASIC_FILE_BASE_URL                    optional: overrides the file host (UploadFiles)
//	ESSBASIC_CALLBACK_ADDR                    optional: listen here for callbacks (else poll)
//	ESSBASIC_CALLBACK_KEY, ESSBASIC_CALLBACK_TOKEN
//	                                          optional: the app's CallbackUrlKey and signature token
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/essbasic"
	"github.com/hetong-go/hetong/essbasic/essbasictest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "essbasic:", err)
		os.Exit(1)
	}
}

type flags struct {
	live            bool
	env             string
	file, out       string
	name, mobile    string
	flowName        string
	wait, pollEvery time.Duration
}

func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	f := &flags{}
	fs := flag.NewFlagSet("essbasic", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&f.live, "live", false, "talk to the real platform using the ESSBASIC_* environment variables instead of the offline fake")
	fs.StringVar(&f.env, "env", "production", "live only: production, or test (联调) hosts")
	fs.StringVar(&f.file, "file", "", "PDF to upload (default: a tiny built-in PDF)")
	fs.StringVar(&f.out, "out", "", "write the signed PDF here (default: only report its size)")
	fs.StringVar(&f.flowName, "flow-name", "采购合同", "name of the flow (合同名称)")
	fs.StringVar(&f.name, "signer-name", "张三", "the personal signer's real name")
	fs.StringVar(&f.mobile, "signer-mobile", "13800000000", "the personal signer's mobile number")
	fs.DurationVar(&f.wait, "wait", 30*time.Minute, "how long to wait for the flow to be completed")
	fs.DurationVar(&f.pollEvery, "poll", 10*time.Second, "live only, without ESSBASIC_CALLBACK_ADDR: polling interval")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: essbasic [flags]\n\nUploads a PDF, creates a flow, prints the sign URL, waits for completion, downloads the signed PDF.")
		fmt.Fprintln(stderr, "Offline against a fake by default; -live needs ESSBASIC_SECRET_ID, ESSBASIC_SECRET_KEY, ESSBASIC_APP_ID,")
		fmt.Fprintln(stderr, "ESSBASIC_ORG_OPEN_ID and ESSBASIC_OPERATOR_OPEN_ID (ESSBASIC_BASE_URL, ESSBASIC_FILE_BASE_URL,")
		fmt.Fprintln(stderr, "ESSBASIC_CALLBACK_ADDR, ESSBASIC_CALLBACK_KEY and ESSBASIC_CALLBACK_TOKEN are optional).\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if f.env != "test" && f.env != "production" {
		return nil, fmt.Errorf("-env: want test or production, got %q", f.env)
	}
	return f, nil
}

// samplePDF is uploaded when -file is not given.
var samplePDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	pdf := samplePDF
	if f.file != "" {
		if pdf, err = os.ReadFile(f.file); err != nil {
			return err
		}
	}
	if f.live {
		return runLive(ctx, f, pdf, stdout)
	}
	return runOffline(ctx, f, pdf, stdout)
}

// completions receives the FlowStatusChange messages of completed flows.
type completions chan *essbasic.FlowStatusChange

func (c completions) handle(_ context.Context, ev *essbasic.CallbackEvent) error {
	if ev.MsgType != essbasic.MsgTypeFlowStatusChange {
		return nil // other messages are acknowledged and ignored
	}
	change, err := ev.FlowStatusChange()
	if err != nil {
		return err
	}
	if change.Terminal() {
		select {
		case c <- change:
		default:
		}
	}
	return nil
}

func runOffline(ctx context.Context, f *flags, pdf []byte, stdout io.Writer) error {
	srv := essbasictest.NewServer()
	defer srv.Close()
	done := make(completions, 1)
	cfg := essbasic.CallbackConfig{Key: essbasictest.CallbackKey, Token: essbasictest.CallbackToken, Deduper: essbasic.NewMemoryDeduper()}
	hook := httptest.NewServer(essbasic.NewCallbackHandler(cfg, done.handle))
	defer hook.Close()
	srv.SetCallback(hook.URL, essbasictest.CallbackKey, essbasictest.CallbackToken)
	fmt.Fprintln(stdout, "offline: using the essbasictest fake")

	c := srv.Client()
	flowID, err := startFlow(ctx, c, f, pdf, stdout)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "the fake signs for everyone now")
	status, answer, err := srv.CompleteFlow(ctx, flowID)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("our callback handler answered HTTP %d: %s", status, answer)
	}
	if err := awaitCallback(ctx, done, flowID, f.wait, stdout); err != nil {
		return err
	}
	return download(ctx, c, flowID, f.out, stdout)
}

func runLive(ctx context.Context, f *flags, pdf []byte, stdout io.Writer) error {
	env := map[string]string{}
	var missing []string
	for _, k := range []string{"ESSBASIC_SECRET_ID", "ESSBASIC_SECRET_KEY", "ESSBASIC_APP_ID", "ESSBASIC_ORG_OPEN_ID", "ESSBASIC_OPERATOR_OPEN_ID"} {
		if env[k] = os.Getenv(k); strings.TrimSpace(env[k]) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("-live needs the environment variables %s (see -h)", strings.Join(missing, ", "))
	}
	opts := []essbasic.Option{}
	if f.env == "test" {
		opts = append(opts, essbasic.WithEnvironment(essbasic.Test))
	}
	if u := os.Getenv("ESSBASIC_BASE_URL"); u != "" {
		opts = append(opts, essbasic.WithBaseURL(u))
	}
	if u := os.Getenv("ESSBASIC_FILE_BASE_URL"); u != "" {
		opts = append(opts, essbasic.WithFileBaseURL(u))
	}
	c, err := essbasic.NewClient(essbasic.Config{SecretID: env["ESSBASIC_SECRET_ID"], SecretKey: env["ESSBASIC_SECRET_KEY"],
		Agent: &essbasic.Agent{AppId: env["ESSBASIC_APP_ID"], ProxyOrganizationOpenId: env["ESSBASIC_ORG_OPEN_ID"],
			ProxyOperator: &essbasic.UserInfo{OpenId: env["ESSBASIC_OPERATOR_OPEN_ID"]}}}, opts...)
	if err != nil {
		return err
	}
	var done completions
	if addr := os.Getenv("ESSBASIC_CALLBACK_ADDR"); addr != "" {
		done = make(completions, 1)
		cfg := essbasic.CallbackConfig{Key: os.Getenv("ESSBASIC_CALLBACK_KEY"), Token: os.Getenv("ESSBASIC_CALLBACK_TOKEN"),
			Deduper: essbasic.NewMemoryDeduper()}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		hs := &http.Server{Handler: essbasic.NewCallbackHandler(cfg, done.handle), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = hs.Serve(ln) }()
		defer hs.Close()
		fmt.Fprintln(stdout, "listening for callbacks on", ln.Addr())
	}
	flowID, err := startFlow(ctx, c, f, pdf, stdout)
	if err != nil {
		return err
	}
	if done != nil {
		err = awaitCallback(ctx, done, flowID, f.wait, stdout)
	} else {
		err = poll(ctx, c, flowID, f, stdout)
	}
	if err != nil {
		return err
	}
	return download(ctx, c, flowID, f.out, stdout)
}

// startFlow uploads the PDF, creates the flow and prints the sign URL.
func startFlow(ctx context.Context, c *essbasic.Client, f *flags, pdf []byte, stdout io.Writer) (string, error) {
	up, err := c.UploadFromReader(ctx, &essbasic.UploadFromReaderRequest{BusinessType: "DOCUMENT",
		Files: []essbasic.UploadSource{{Name: "contract.pdf", Reader: bytes.NewReader(pdf)}}})
	if err != nil {
		return "", fmt.Errorf("upload: %w", err)
	}
	fmt.Fprintf(stdout, "uploaded %d bytes as file %s\n", len(pdf), up.FileIds[0])
	flow, err := c.ChannelCreateFlowByFiles(ctx, &essbasic.ChannelCreateFlowByFilesRequest{
		FlowName: f.flowName, FileIds: up.FileIds, Deadline: hetong.Ptr(time.Now().Add(7 * 24 * time.Hour).Unix()),
		FlowApprovers: []essbasic.FlowApproverInfo{{ApproverType: "PERSON", Name: f.name, Mobile: f.mobile}},
	})
	if err != nil {
		return "", fmt.Errorf("create flow: %w", err)
	}
	fmt.Fprintf(stdout, "created flow %s\n", flow.FlowId)
	urls, err := c.CreateSignUrls(ctx, &essbasic.CreateSignUrlsRequest{FlowIds: []string{flow.FlowId}})
	if err != nil {
		return "", fmt.Errorf("sign URLs: %w", err)
	}
	for _, u := range urls.SignUrlInfos {
		fmt.Fprintf(stdout, "sign URL for %s: %s\n", u.Name, u.SignUrl)
	}
	return flow.FlowId, nil
}

func awaitCallback(ctx context.Context, done completions, flowID string, wait time.Duration, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		select {
		case change := <-done:
			if change.FlowID != flowID {
				continue
			}
			fmt.Fprintf(stdout, "callback: flow %s status %d (%s)\n", change.FlowID, change.FlowCallbackStatus, change.Operate)
			if change.FlowCallbackStatus != essbasic.FlowCallbackCompleted {
				return fmt.Errorf("flow ended without being signed (status %d)", change.FlowCallbackStatus)
			}
			return nil
		case <-ctx.Done():
			return fmt.Errorf("waiting for the completion callback: %w", ctx.Err())
		}
	}
}

// poll asks DescribeFlowDetailInfo until the flow is completed.
func poll(ctx context.Context, c *essbasic.Client, flowID string, f *flags, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, f.wait)
	defer cancel()
	fmt.Fprintln(stdout, "no ESSBASIC_CALLBACK_ADDR: polling the flow's status")
	t := time.NewTicker(f.pollEvery)
	defer t.Stop()
	for {
		res, err := c.DescribeFlowDetailInfo(ctx, &essbasic.DescribeFlowDetailInfoRequest{FlowIds: []string{flowID}})
		if err != nil {
			return err
		}
		if len(res.FlowInfo) == 1 {
			switch s := res.FlowInfo[0].FlowStatus; s {
			case "ALL":
				fmt.Fprintln(stdout, "flow completed")
				return nil
			case "REJECT", "CANCEL", "DEADLINE", "INVALID":
				return fmt.Errorf("flow ended without being signed (%s)", s)
			}
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return fmt.Errorf("waiting for the flow: %w", ctx.Err())
		}
	}
}

func download(ctx context.Context, c *essbasic.Client, flowID, out string, stdout io.Writer) error {
	res, err := c.DescribeResourceUrlsByFlows(ctx, &essbasic.DescribeResourceUrlsByFlowsRequest{FlowIds: []string{flowID}})
	if err != nil {
		return err
	}
	for _, r := range res.FlowResults() {
		if r.Err != nil {
			return r.Err
		}
		for _, u := range r.URLs {
			n, err := save(ctx, c, u.Url, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "downloaded %s (%d bytes)\n", u.Name, n)
		}
	}
	return nil
}

// save streams one resource into the file out, or counts it when out is "".
func save(ctx context.Context, c *essbasic.Client, url, out string) (int64, error) {
	if out == "" {
		return c.DownloadResource(ctx, url, io.Discard)
	}
	file, err := os.Create(out)
	if err != nil {
		return 0, err
	}
	n, err := c.DownloadResource(ctx, url, file)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	return n, err
}
