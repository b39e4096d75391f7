package gen

import "testing"

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"ContractSignUrl":          "ContractSignURL",
		"contractId":               "ContractID",
		"sealIds":                  "SealIDs",
		"OcrIdCard":                "OCRIDCard",
		"CompanyAuthPCPage":        "CompanyAuthPCPage",
		"CompanyAuthH5Page":        "CompanyAuthH5Page",
		"SaasHealthCheck":          "SaaSHealthCheck",
		"IdentityVerify":           "IdentityVerify",
		"SignatoryEditV3":          "SignatoryEditV3",
		"hideEndButton":            "HideEndButton",
		"needCompressForOneFile":   "NeedCompressForOneFile",
		"pdfVerify":                "PDFVerify",
		"SsoPrivilegeUrl":          "SSOPrivilegeURL",
		"pageUrl":                  "PageURL",
		"ContractAppointUrlLegacy": "ContractAppointURLLegacy",
		"h5Url":                    "H5URL",
		"downloadUrls":             "DownloadURLs",
	} {
		if got := GoName(in); got != want {
			t.Errorf("GoName(%q) = %q, want %q", in, got, want)
		}
	}
}
