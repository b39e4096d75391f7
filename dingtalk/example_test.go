package dingtalk_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/hetong-go/hetong"
	"github.com/hetong-go/hetong/dingtalk"
	"github.com/hetong-go/hetong/dingtalk/dingtalktest"
)

// The 报销 instances of one approval form started last week, decoded into
// a struct by their form labels.
func Example() {
	srv := dingtalktest.NewServer() // an in-process fake; drop the two URL options for the real hosts
	defer srv.Close()
	start := time.Date(2026, 11, 16, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	srv.SeedReimbursements("PROC-BX-0001", 3, start)

	c, err := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: dingtalktest.AppSecret},
		dingtalk.WithBaseURL(srv.URL), dingtalk.WithNewAPIBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	req := &dingtalk.ListInstanceIDsRequest{ProcessCode: "PROC-BX-0001", StartTime: start, EndTime: start.AddDate(0, 0, 7)}
	for id, err := range c.AllInstanceIDs(ctx, req) {
		if err != nil {
			log.Fatal(err)
		}
		res, err := c.GetInstance(ctx, &dingtalk.GetInstanceRequest{ProcessInstanceID: id})
		if err != nil {
			log.Fatal(err)
		}
		var claim dingtalktest.Reimbursement
		if err := res.Instance.FormComponentValues.Decode(&claim); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %s %s %d lines, total %s\n", res.Instance.CreateTime.Format("01-02 15:04"),
			res.Instance.Result, claim.Category, len(claim.Lines), claim.Total())
	}
	// Output:
	// 11-16 09:00 agree 项目报销 1 lines, total 100.00
	// 11-16 12:00 agree 行政报销 2 lines, total 937.50
	// 11-16 15:00 agree 项目报销 3 lines, total 2159.50
}

func ExampleFormValues_Decode() {
	form := dingtalk.FormValues{
		{Name: "报销类别", Value: "差旅"},
		{Name: "报销明细", Value: `[{"rowValue":[{"label":"费用发生日期","value":"2026-11-16"},{"label":"报销金额(元)","value":"3,500.00"}]}]`},
	}
	var v struct {
		Category string `dingtalk:"报销类别"`
		Lines    []struct {
			Date   time.Time     `dingtalk:"费用发生日期"`
			Amount hetong.Amount `dingtalk:"报销金额(元)"`
		} `dingtalk:"报销明细"`
	}
	if err := form.Decode(&v); err != nil {
		log.Fatal(err)
	}
	fen, _ := v.Lines[0].Amount.Fen()
	fmt.Println(v.Category, v.Lines[0].Date.Format("2006-01-02"), v.Lines[0].Amount, fen)

	var wrong struct {
		Amount int `dingtalk:"报销类别"`
	}
	fmt.Println(form.Decode(&wrong))
	// Output:
	// 差旅 2026-11-16 3500.00 350000
	// dingtalk: form field "报销类别": cannot decode "差旅": not an integer of int
}

func ExampleIsCode() {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	c, _ := dingtalk.NewClient(dingtalk.Config{AppKey: dingtalktest.AppKey, AppSecret: "not-the-secret"},
		dingtalk.WithBaseURL(srv.URL), dingtalk.WithNewAPIBaseURL(srv.URL))
	_, err := c.GetInstance(context.Background(), &dingtalk.GetInstanceRequest{ProcessInstanceID: "x"})
	fmt.Println(dingtalk.IsCode(err, dingtalk.CodeBadAppKeyOrSecret))
	var e *dingtalk.Error
	if errors.As(err, &e) {
		fmt.Println(e.Op, e.Code, e.Message)
	}
	// Output:
	// true
	// /gettoken 40096 不合法的appKey或appSecret
}

// An endpoint for DingTalk's event pushes (事件订阅 → HTTP 推送).
func ExampleNewCallbackHandler() {
	srv := dingtalktest.NewServer()
	defer srv.Close()
	id := srv.SeedReimbursements("PROC-BX-0001", 1, time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC))[0]

	h := dingtalk.NewCallbackHandler(dingtalk.CallbackConfig{
		Token:          dingtalktest.CallbackToken,
		EncodingAESKey: dingtalktest.EncodingAESKey,
		OwnerKey:       dingtalktest.AppKey,
	}, func(ctx context.Context, ev *dingtalk.Event) error {
		if ic := ev.InstanceChange; ic != nil {
			fmt.Println(ev.Type, ic.Type, ic.Result, ic.ProcessInstanceID == id)
		}
		return nil // only now does DingTalk get its encrypted "success"
	})
	endpoint := httptest.NewServer(h) // in production: http.Handle("/dingtalk/events", h)
	defer endpoint.Close()

	ctx := context.Background()
	if err := srv.CheckURL(ctx, endpoint.URL); err != nil { // answered by the handler itself
		log.Fatal(err)
	}
	ev, _ := srv.InstanceEvent(id, "finish")
	if err := srv.PostEvent(ctx, endpoint.URL, ev); err != nil {
		log.Fatal(err)
	}
	// Output:
	// bpms_instance_change finish agree true
}

func ExampleCrypto() {
	c, err := dingtalk.NewCrypto("tokenxxxx", "o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus", "dingxxxxxx")
	if err != nil {
		log.Fatal(err)
	}
	msg, err := c.Decrypt("f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fc", "1605695694141", "WelUQl6bCqcBa2fM",
		"X1VSe9cTJUMZu60d3kyLYTrBq5578ZRJtteU94wG0Q4Uk6E/wQYeJRIC0/UFW5Wkya1Ihz9oXAdLlyC9TRaqsQ==")
	fmt.Println(string(msg), err)
	// Output:
	// success <nil>
}
