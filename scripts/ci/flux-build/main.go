// flux-build builds a kustomize folder the way Flux's kustomize-controller does: it generates or
// adjusts kustomization.yaml from a Flux Kustomization object (fluxcd/pkg/kustomize NewGenerator),
// then builds with SecureBuild (no files outside ROOT, no plugins, no remote bases) and prints the
// objects as multi-document YAML on stdout. Used by the tests as a consumer check of rendered
// folders; SOPS files must be decrypted (sops -d) before, as the controller's decryptor does.
//
//	flux-build [--target-namespace NS] ROOT DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/fluxcd/pkg/kustomize"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func main() {
	targetNamespace := flag.String("target-namespace", "", "spec.targetNamespace of the Flux Kustomization")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: flux-build [--target-namespace NS] ROOT DIR")
		os.Exit(2)
	}
	if err := build(flag.Arg(0), flag.Arg(1), *targetNamespace); err != nil {
		fmt.Fprintf(os.Stderr, "flux-build: %v\n", err)
		os.Exit(1)
	}
}

func build(root, dir, targetNamespace string) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return err
	}
	spec := map[string]interface{}{"path": dir, "prune": true}
	if targetNamespace != "" {
		spec["targetNamespace"] = targetNamespace
	}
	object := unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "kustomize.toolkit.fluxcd.io/v1",
		"kind":       "Kustomization",
		"metadata":   map[string]interface{}{"name": "dockrion-consumer-test", "namespace": "flux-system"},
		"spec":       spec,
	}}
	generator := kustomize.NewGenerator(root, object)
	action, err := generator.WriteFile(dir, kustomize.WithSaveOriginalKustomization())
	if err != nil {
		return fmt.Errorf("generate kustomization: %w", err)
	}
	defer func() { _ = kustomize.CleanDirectory(dir, action) }()
	resources, err := kustomize.SecureBuild(root, dir, false)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	out, err := resources.AsYaml()
	if err != nil {
		return fmt.Errorf("serialize: %w", err)
	}
	_, err = os.Stdout.Write(out)
	return err
}
